"""Working-day arithmetic against a table of known dates: weekends, holidays, make-up days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcement.domain.calendar import CHINA, WorkingCalendar, days_from

pytestmark = pytest.mark.unit
PLAIN = WorkingCalendar()


# The State Council General Office's notices as published (Xinhua), written out independently of
# the chinesecalendar package, which must agree with them day by day.
# Notice of 12 November 2024 on the 2025 holidays (国办发明电〔2024〕12号).
NOTICE_2025 = WorkingCalendar(
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
# Notice of 4 November 2025 on the 2026 holidays: New Year 1-3 Jan (4 Jan worked), Spring
# Festival 15-23 Feb (14 and 28 Feb worked), Qingming 4-6 Apr, Labour Day 1-5 May (9 May
# worked), Dragon Boat 19-21 Jun, Mid-Autumn 25-27 Sep, National Day 1-7 Oct (20 Sep and 10 Oct
# worked).
NOTICE_2026 = WorkingCalendar(
    holidays=frozenset().union(
        days_from(date(2026, 1, 1), date(2026, 1, 3)),
        days_from(date(2026, 2, 15), date(2026, 2, 23)),
        days_from(date(2026, 4, 4), date(2026, 4, 6)),
        days_from(date(2026, 5, 1), date(2026, 5, 5)),
        days_from(date(2026, 6, 19), date(2026, 6, 21)),
        days_from(date(2026, 9, 25), date(2026, 9, 27)),
        days_from(date(2026, 10, 1), date(2026, 10, 7)),
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
CHINA_2025 = NOTICE_2025


def test_chinesecalendar_agrees_with_the_2025_and_2026_notices_on_every_day() -> None:
    notices = NOTICE_2025 | NOTICE_2026
    differ = [
        day
        for day in days_from(date(2025, 1, 1), date(2026, 12, 31))
        if CHINA.is_working_day(day) != notices.is_working_day(day)
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        (PLAIN, date(2025, 3, 3), 0, date(2025, 3, 3)),  # zero days: the start itself
        (PLAIN, date(2025, 3, 3), 1, date(2025, 3, 4)),  # Monday -> Tuesday
        (PLAIN, date(2025, 3, 7), 1, date(2025, 3, 10)),  # Friday -> Monday, weekend skipped
        (PLAIN, date(2025, 3, 8), 1, date(2025, 3, 10)),  # from a Saturday
        (PLAIN, date(2025, 3, 3), 15, date(2025, 3, 24)),  # three weeks
        (CHINA_2025, date(2025, 4, 30), 1, date(2025, 5, 6)),  # Labour Day 1-5 May
        (CHINA_2025, date(2025, 4, 25), 1, date(2025, 4, 27)),  # Sunday 27 April is made up
        (CHINA_2025, date(2025, 1, 24), 3, date(2025, 2, 5)),  # 26 Jan made up, festival off
        (CHINA_2025, date(2025, 9, 26), 5, date(2025, 10, 10)),  # 28 Sep made up, 1-8 Oct off
        (CHINA_2025, date(2025, 10, 9), 2, date(2025, 10, 11)),  # Saturday 11 Oct made up
        (CHINA_2025, date(2024, 12, 31), 1, date(2025, 1, 2)),  # New Year's Day
        (CHINA, date(2025, 12, 31), 1, date(2026, 1, 4)),  # 1-3 Jan off, Sunday 4 Jan worked
        (CHINA, date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 14 Feb worked
        (CHINA, date(2026, 2, 14), 1, date(2026, 2, 24)),  # Spring Festival 15-23 Feb off
        (CHINA, date(2026, 2, 27), 1, date(2026, 2, 28)),  # Saturday 28 Feb worked
        (CHINA, date(2026, 4, 3), 1, date(2026, 4, 7)),  # Qingming 4-6 Apr
        (CHINA, date(2026, 4, 30), 2, date(2026, 5, 7)),  # Labour Day 1-5 May
        (CHINA, date(2026, 5, 8), 1, date(2026, 5, 9)),  # Saturday 9 May worked
        (CHINA, date(2026, 6, 18), 1, date(2026, 6, 22)),  # Dragon Boat 19-21 Jun
        (CHINA, date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sunday 20 Sep worked
        (CHINA, date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn 25-27 Sep
        (CHINA, date(2026, 9, 30), 2, date(2026, 10, 9)),  # National Day 1-7 Oct, then Thu
        (CHINA, date(2026, 10, 9), 1, date(2026, 10, 10)),  # Saturday 10 Oct worked
    ],
)
def test_add_working_days_matches_the_table(
    calendar: WorkingCalendar, start: date, n: int, expected: date
) -> None:
    assert calendar.add_working_days(start, n) == expected
    assert calendar.working_days_between(start, expected) == n


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 3, 8), False),  # Saturday
        (date(2025, 3, 9), False),  # Sunday
        (date(2025, 10, 1), False),  # National Day, a Wednesday
        (date(2025, 2, 8), True),  # Saturday made up after the Spring Festival
        (date(2025, 6, 3), True),  # Tuesday after the Dragon Boat holiday
    ],
)
def test_working_days_are_weekdays_minus_holidays_plus_make_up_days(
    day: date, working: bool
) -> None:
    assert CHINA_2025.is_working_day(day) is working


def test_working_days_between_counts_after_the_start_up_to_the_end() -> None:
    assert CHINA_2025.working_days_between(date(2025, 5, 1), date(2025, 5, 5)) == 0
    assert CHINA_2025.working_days_between(date(2025, 3, 3), date(2025, 3, 2)) == 0
    assert PLAIN.working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 5


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        PLAIN.add_working_days(date(2025, 3, 3), -1)


days = st.dates(min_value=date(2024, 12, 1), max_value=date(2025, 12, 31))


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_add_working_days_never_lands_on_a_day_off(start: date, n: int) -> None:
    end = CHINA_2025.add_working_days(start, n)
    assert CHINA_2025.is_working_day(end)
    assert CHINA_2025.working_days_between(start, end) == n
    assert CHINA_2025.working_days_between(start, end - timedelta(days=1)) == n - 1


def test_the_built_in_table_covers_2021_to_2026_and_names_the_years_it_lacks() -> None:
    assert sorted(CHINA.years) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert CHINA.uncovered_ahead(date(2026, 6, 1)) == []
    # late November: deadlines set now reach into a year whose notice is not in the table
    assert CHINA.uncovered_ahead(date(2026, 11, 27)) == [2027]
    assert CHINA.uncovered_years(date(2020, 12, 1), date(2027, 1, 5)) == [2020, 2027]
    assert WorkingCalendar().uncovered_ahead(date(2026, 3, 2)) == [2026]
