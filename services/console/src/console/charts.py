"""Charts drawn on the server from the numbers: the geometry of an inline SVG bar chart.

No JavaScript library and nothing from a CDN (the bureau's intranet has no internet): the page
template draws rectangles and text at the places computed here, and the same numbers are in a
table beside the chart for anyone who cannot see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 180
TOP, BOTTOM, LEFT = 18, 26, 40  # room for the share above a bar, the month below, the scale


@dataclass(frozen=True)
class Bar:
    """One month's bar: where it stands, its height, and what it says."""

    month: str
    x: float
    y: float
    width: float
    height: float
    share: float | None  # None: nothing was due that month
    counts: str  # "done / total"

    @property
    def percent(self) -> str:
        """The share as a percentage with one decimal, or a dash."""
        return "—" if self.share is None else f"{self.share * 100:.1f}%"

    @property
    def short(self) -> bool:
        """Under 100%: drawn in the colour of something left undone."""
        return self.share is not None and self.share < 1


@dataclass(frozen=True)
class Chart:
    """A bar chart of shares by month, sized to a viewBox of ``width`` x ``height``."""

    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> float:
        """Where the bars stand (y of 0%)."""
        return self.height - BOTTOM

    @property
    def full(self) -> float:
        """The y of 100%."""
        return float(TOP)


def share(done: int, total: int) -> float | None:
    """Done over total, or None when nothing was counted."""
    return None if total == 0 else done / total


def bar_chart(months: list[dict[str, Any]], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Bars of done/total for each ``{"month", "total", "done"}``, oldest on the left."""
    plot_height = height - TOP - BOTTOM
    slot = (width - LEFT) / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        value = share(month["done"], month["total"])
        bar_height = plot_height * (value or 0.0)
        bars.append(
            Bar(
                month=month["month"],
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(height - BOTTOM - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                share=value,
                counts=f"{month['done']} / {month['total']}",
            )
        )
    return Chart(tuple(bars), width, height)


def overall(rows: list[dict[str, Any]], labels: list[str]) -> list[dict[str, Any]]:
    """The months of every row added up (the figure for the whole bureau)."""
    return [
        {
            "month": label,
            "total": sum(row["months"][index]["total"] for row in rows),
            "done": sum(row["months"][index]["done"] for row in rows),
        }
        for index, label in enumerate(labels)
    ]
