"""The working-day calendar that deadlines counted in working days (工作日) run on.

A working day is Monday to Friday, unless it is a public holiday, plus the make-up working days
(调休) the State Council moves onto weekends. Both tables are configuration, published yearly
by the State Council's General Office (usually in November for the next year). ``CHINA`` takes
them from the ``chinesecalendar`` package (1.11 holds the notices to 2026; upgrade it each
November), checked against the published notices in ``tests/unit/test_calendar.py``.

A year the tables say nothing about is counted on weekends only, which can put a deadline on
a day off or before a make-up working day: ``uncovered_years`` names such years, and the
service warns about them (at start-up and in ``GET /calendar``) so that a deadline is never
silently miscounted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from chinese_calendar.constants import holidays as chinese_holidays
from chinese_calendar.constants import workdays as chinese_workdays

FIRST_YEAR = 2021  # older days off matter to no clue still open (APL 2021 in force 15 Jul 2021)
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

    def working_day_from(self, day: date) -> date:
        """``day`` if the bureau works on it, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

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


def from_chinesecalendar(first_year: int = FIRST_YEAR) -> WorkingCalendar:
    """The State Council's notices as the ``chinesecalendar`` package holds them (its days off
    and its weekend days worked), from ``first_year`` on."""
    return WorkingCalendar(
        holidays=frozenset(day for day in chinese_holidays if day.year >= first_year),
        makeup_working_days=frozenset(day for day in chinese_workdays if day.year >= first_year),
    )


CHINA = from_chinesecalendar()  # the default of the service's settings
