"""The patrol plan behind "100% patrols": how often each certified enterprise is patrolled.

The base interval comes from the supervision class (the CCC follow-up practice of A to D):

| class | base interval | with any key flag (one step closer) | two or more flags |
| --- | --- | --- | --- |
| A | 12 months (yearly) | 6 months | 3 months |
| B | 6 months (half-yearly) | 3 months | 1 month |
| C | 3 months (quarterly) | 1 month | 1 month |
| D | 1 month (monthly) | 1 month | 1 month |

Key flags are the seed's "three key points" (三个重点): a key enterprise, a key product
(on the provincial list), a key region. Each flag present moves the enterprise one step down
the ladder 12 -> 6 -> 3 -> 1 months, never below monthly; the seed says "closer supervision" without
numbers, so the step rule is the bureau's own choice, written down here once.

A patrol is due on the same day of the month ``interval`` months after the last one (31 January
plus one month is 28/29 February); an enterprise never patrolled is due at once.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from ccc_contracts.registry import SupervisionClass

LADDER: tuple[int, ...] = (12, 6, 3, 1)  # months between patrols, loosest first

BASE_INTERVAL_MONTHS: dict[SupervisionClass, int] = {"A": 12, "B": 6, "C": 3, "D": 1}


class KeyFlags(BaseModel):
    """The "three key points" that tighten an enterprise's patrol plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_enterprise: bool = False
    key_product: bool = False
    key_region: bool = False

    def count(self) -> int:
        """How many of the three flags are set."""
        return sum((self.key_enterprise, self.key_product, self.key_region))


NO_FLAGS = KeyFlags()


class PlannedEnterprise(BaseModel):
    """One certified enterprise as the plan sees it: its class, flags and every patrol done."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credit_code: str
    supervision_class: SupervisionClass
    flags: KeyFlags = NO_FLAGS
    patrols: tuple[date, ...] = ()


class Coverage(BaseModel):
    """How a period's patrols went: who was patrolled as planned, late, or is overdue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    period_start: date
    period_end: date
    planned: tuple[str, ...]
    as_planned: tuple[str, ...]
    late: tuple[str, ...]
    overdue: tuple[str, ...]

    @property
    def share(self) -> float:
        """Enterprises patrolled as planned over enterprises planned (1.0 when none planned)."""
        return 1.0 if not self.planned else len(self.as_planned) / len(self.planned)


def interval_months(supervision_class: SupervisionClass, flags: KeyFlags = NO_FLAGS) -> int:
    """Months between two patrols for this class, one ladder step closer per key flag."""
    step = LADDER.index(BASE_INTERVAL_MONTHS[supervision_class]) + flags.count()
    return LADDER[min(step, len(LADDER) - 1)]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(
    last_patrol: date | None,
    supervision_class: SupervisionClass,
    flags: KeyFlags = NO_FLAGS,
    today: date | None = None,
) -> date:
    """The day the next patrol is due; never patrolled means due today (or the last patrol)."""
    if last_patrol is None:
        if today is None:
            raise ValueError("an enterprise never patrolled is due today: pass today")
        return today
    return add_months(last_patrol, interval_months(supervision_class, flags))


def coverage(
    enterprises: Iterable[PlannedEnterprise], period_start: date, period_end: date
) -> Coverage:
    """Coverage of a period: which enterprises kept every patrol due in it, and who is overdue."""
    if period_end < period_start:
        raise ValueError(f"period ends on {period_end}, before it starts on {period_start}")
    planned: list[str] = []
    as_planned: list[str] = []
    late: list[str] = []
    overdue: list[str] = []
    for enterprise in enterprises:
        outcome = period_outcome(enterprise, period_start, period_end)
        if outcome is None:
            continue
        planned.append(enterprise.credit_code)
        {"as_planned": as_planned, "late": late, "overdue": overdue}[outcome].append(
            enterprise.credit_code
        )
    return Coverage(
        period_start=period_start,
        period_end=period_end,
        planned=tuple(sorted(planned)),
        as_planned=tuple(sorted(as_planned)),
        late=tuple(sorted(late)),
        overdue=tuple(sorted(overdue)),
    )


def period_outcome(
    enterprise: PlannedEnterprise, period_start: date, period_end: date
) -> str | None:
    """``as_planned``, ``late``, ``overdue`` at the period's end, or None if nothing was due in it.

    Walks the plan: from the last patrol before the period, each due date that falls in the
    period must be met by a patrol on or before it; an enterprise never patrolled must be
    patrolled at some point in the period. A patrol due before the period and still not done
    counts too (it is overdue).
    """
    patrols = sorted(enterprise.patrols)
    before = [day for day in patrols if day < period_start]
    during = [day for day in patrols if period_start <= day <= period_end]
    last = before[-1] if before else None
    if last is None:  # never patrolled: its first patrol is due within the period
        due = period_end
    else:
        due = next_due(last, enterprise.supervision_class, enterprise.flags)
    if due > period_end:
        return None
    on_time = True
    for patrol in during:
        if due > period_end:
            break
        if patrol > due:
            on_time = False
        due = next_due(patrol, enterprise.supervision_class, enterprise.flags)
    if due <= period_end:
        return "overdue"
    return "as_planned" if on_time else "late"


def patrols_due(
    enterprises: Iterable[PlannedEnterprise], today: date, until: date
) -> list[tuple[str, date]]:
    """Each enterprise whose next patrol falls due by ``until``, with that day, earliest first."""
    due = [
        (
            enterprise.credit_code,
            next_due(
                max(enterprise.patrols, default=None),
                enterprise.supervision_class,
                enterprise.flags,
                today=today,
            ),
        )
        for enterprise in enterprises
    ]
    return sorted(((code, day) for code, day in due if day <= until), key=lambda item: item[::-1])
