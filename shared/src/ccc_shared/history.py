"""Months back from a day: the buckets the services' figures over time are counted in.

One definition for every service, so the console can lay the three figures' histories side by
side: a month is labelled ``YYYY-MM``; the last month asked for is the one ``today`` falls in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MAX_MONTHS = 24


@dataclass(frozen=True)
class Month:
    """One calendar month: its label, first day and last day."""

    label: str
    first: date
    last: date


def month_of(day: date) -> str:
    """The label of the month ``day`` falls in (``2026-03``)."""
    return f"{day.year:04d}-{day.month:02d}"


def months_back(today: date, count: int) -> list[Month]:
    """The ``count`` months ending with today's, oldest first."""
    if not 1 <= count <= MAX_MONTHS:
        raise ValueError(f"between 1 and {MAX_MONTHS} months, not {count}")
    months: list[Month] = []
    first = today.replace(day=1)
    for _ in range(count):
        following = (first + timedelta(days=32)).replace(day=1)
        months.append(Month(month_of(first), first, following - timedelta(days=1)))
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def per_department(
    items: Iterable[tuple[str | None, date, bool]], months: list[Month], key: str = "department"
) -> dict[str, Any]:
    """Count ``(department, day, done)`` items by department and month: how many, how many done.

    Items dated outside the months are left out; ``department`` None (not yet assigned) is kept
    as its own row, listed last. Each row names its group under ``key`` and carries its months
    oldest first and its totals; the answer names ``key`` as ``group_by``.
    """
    labels = [month.label for month in months]
    start, end = months[0].first, months[-1].last
    counts: dict[str | None, dict[str, list[int]]] = {}
    for department, day, done in items:
        if not start <= day <= end:
            continue
        row = counts.setdefault(department or None, {label: [0, 0] for label in labels})
        tally = row[month_of(day)]
        tally[0] += 1
        tally[1] += int(done)
    rows = []
    for department in sorted(counts, key=lambda name: (name is None, name or "")):
        by_month = counts[department]
        rows.append(
            {
                key: department,
                "months": [
                    {"month": label, "total": by_month[label][0], "done": by_month[label][1]}
                    for label in labels
                ],
                "total": sum(total for total, _ in by_month.values()),
                "done": sum(done for _, done in by_month.values()),
            }
        )
    return {"group_by": key, "months": labels, "rows": rows}
