"""Months back from a day, and counting by department in them (the figures over time)."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_shared.history import months_back, per_department

pytestmark = pytest.mark.unit


def test_months_back_cross_the_year_and_end_with_todays_month() -> None:
    months = months_back(date(2026, 2, 15), 3)
    assert [(m.label, m.first, m.last) for m in months] == [
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ]


@pytest.mark.parametrize("count", [0, 25])
def test_no_months_or_more_than_two_years_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 24 months"):
        months_back(date(2026, 2, 15), count)


def test_items_are_counted_per_department_and_month_the_unassigned_last() -> None:
    months = months_back(date(2026, 2, 15), 2)
    items = [
        ("二科", date(2026, 1, 3), True),
        (None, date(2026, 2, 1), False),
        ("一科", date(2026, 2, 28), False),
        ("一科", date(2026, 2, 2), True),
        ("一科", date(2025, 12, 31), True),  # before the window
    ]
    counted = per_department(items, months)
    assert counted["months"] == ["2026-01", "2026-02"]
    assert [(r["department"], r["total"], r["done"]) for r in counted["rows"]] == [
        ("一科", 2, 1), ("二科", 1, 1), (None, 1, 0),
    ]  # fmt: skip
    assert counted["rows"][0]["months"] == [
        {"month": "2026-01", "total": 0, "done": 0},
        {"month": "2026-02", "total": 2, "done": 1},
    ]
