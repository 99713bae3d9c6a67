"""The working-day calendar that deadlines counted in working days (工作日) run on.

A working day is Monday to Friday, unless it is a public holiday, plus the make-up working days
(调休) the State Council moves onto weekends. Both tables are configuration, published yearly
by the State Council's General Office; ``CHINA_2025`` is an example that must be checked
against that year's official notice before use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends off, ``holidays`` off, and ``makeup_working_days`` on even at a weekend."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        """Whether the bureau works on this day."""
        if day in self.makeup_working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself not counted; n=0 gives start)."""
        if n < 0:
            raise ValueError(f"cannot count {n} working days: the number must not be negative")
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after ``start`` up to and including ``end`` (0 if none)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def days_from(first: date, last: date) -> frozenset[date]:
    """Every day from ``first`` to ``last``, both included."""
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


# State Council General Office notice on the 2025 holidays (国办发明电〔2024〕12号),
# transcribed from memory: check against the official text before relying on it.
CHINA_2025 = WorkingCalendar(
    holidays=frozenset().union(
        {date(2025, 1, 1)},
        days_from(date(2025, 1, 28), date(2025, 2, 4)),  # Spring Festival
        days_from(date(2025, 4, 4), date(2025, 4, 6)),  # Qingming
        days_from(date(2025, 5, 1), date(2025, 5, 5)),  # Labour Day
        days_from(date(2025, 5, 31), date(2025, 6, 2)),  # Dragon Boat
        days_from(date(2025, 10, 1), date(2025, 10, 8)),  # National Day and Mid-Autumn
    ),
    makeup_working_days=frozenset(
        {
            date(2025, 1, 26),
            date(2025, 2, 8),
            date(2025, 4, 27),
            date(2025, 9, 28),
            date(2025, 10, 11),
        }
    ),
)
