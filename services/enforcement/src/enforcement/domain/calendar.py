"""The working-day calendar that deadlines counted in working days (工作日) run on.

A working day is Monday to Friday, unless it is a public holiday, plus the make-up working days
(调休) the State Council moves onto weekends. Both tables are configuration, published yearly
by the State Council's General Office (usually in November for the next year). ``CHINA`` holds
the 2025 and 2026 notices, checked against their published text.

A year the tables say nothing about is counted on weekends only, which can put a deadline on
a day off or before a make-up working day: ``uncovered_years`` names such years, and the
service warns about them (at start-up and in ``GET /calendar``) so that a deadline is never
silently miscounted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

HORIZON_DAYS = 90  # how far ahead deadlines set today reach, for the uncovered-year warning


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

    @property
    def years(self) -> frozenset[int]:
        """The years the holiday table covers (every year has public holidays)."""
        return frozenset(day.year for day in self.holidays)

    def uncovered_years(self, first: date, last: date) -> list[int]:
        """The years from ``first`` to ``last`` whose holidays the tables do not hold."""
        return [year for year in range(first.year, last.year + 1) if year not in self.years]

    def uncovered_ahead(self, today: date, days: int = HORIZON_DAYS) -> list[int]:
        """The uncovered years a deadline set today may fall in (the next ``days`` days)."""
        return self.uncovered_years(today, today + timedelta(days=days))

    def __or__(self, other: WorkingCalendar) -> WorkingCalendar:
        """Both calendars' tables together (years of separate notices)."""
        return WorkingCalendar(
            self.holidays | other.holidays, self.makeup_working_days | other.makeup_working_days
        )

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


# State Council General Office notice of 12 November 2024 on the 2025 holidays
# (国办发明电〔2024〕12号), as published by Xinhua.
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

# State Council General Office notice of 4 November 2025 on the 2026 holidays, as published by
# Xinhua: New Year 1-3 Jan (4 Jan worked), Spring Festival 15-23 Feb (14 and 28 Feb worked),
# Qingming 4-6 Apr, Labour Day 1-5 May (9 May worked), Dragon Boat 19-21 Jun, Mid-Autumn
# 25-27 Sep, National Day 1-7 Oct (20 Sep and 10 Oct worked).
CHINA_2026 = WorkingCalendar(
    holidays=frozenset().union(
        days_from(date(2026, 1, 1), date(2026, 1, 3)),  # New Year
        days_from(date(2026, 2, 15), date(2026, 2, 23)),  # Spring Festival
        days_from(date(2026, 4, 4), date(2026, 4, 6)),  # Qingming
        days_from(date(2026, 5, 1), date(2026, 5, 5)),  # Labour Day
        days_from(date(2026, 6, 19), date(2026, 6, 21)),  # Dragon Boat
        days_from(date(2026, 9, 25), date(2026, 9, 27)),  # Mid-Autumn
        days_from(date(2026, 10, 1), date(2026, 10, 7)),  # National Day
    ),
    makeup_working_days=frozenset(
        {
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        }
    ),
)

CHINA = CHINA_2025 | CHINA_2026  # the default of the service's settings
