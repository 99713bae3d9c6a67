"""The patrol plan table, next due dates, and a period's coverage."""

from __future__ import annotations

from datetime import date

import pytest

from inspection.domain.patrol_plan import (
    BASE_INTERVAL_MONTHS,
    KeyFlags,
    PlannedEnterprise,
    add_months,
    coverage,
    interval_months,
    next_due,
    patrols_due,
)

pytestmark = pytest.mark.unit

KEY_ENTERPRISE = KeyFlags(key_enterprise=True)
TWO_FLAGS = KeyFlags(key_product=True, key_region=True)
ALL_FLAGS = KeyFlags(key_enterprise=True, key_product=True, key_region=True)


def test_the_base_table_is_d_monthly_c_quarterly_b_half_yearly_a_yearly() -> None:
    assert BASE_INTERVAL_MONTHS == {"D": 1, "C": 3, "B": 6, "A": 12}


@pytest.mark.parametrize(
    ("supervision_class", "flags", "months"),
    [
        ("A", KeyFlags(), 12),
        ("A", KEY_ENTERPRISE, 6),
        ("A", KeyFlags(key_product=True), 6),
        ("A", KeyFlags(key_region=True), 6),
        ("A", TWO_FLAGS, 3),
        ("A", ALL_FLAGS, 1),
        ("B", KeyFlags(), 6),
        ("B", KEY_ENTERPRISE, 3),
        ("B", TWO_FLAGS, 1),
        ("C", KeyFlags(), 3),
        ("C", KEY_ENTERPRISE, 1),
        ("C", ALL_FLAGS, 1),
        ("D", KeyFlags(), 1),
        ("D", ALL_FLAGS, 1),
    ],
)
def test_each_key_flag_tightens_the_interval_one_step_never_below_monthly(
    supervision_class: str, flags: KeyFlags, months: int
) -> None:
    assert interval_months(supervision_class, flags) == months  # type: ignore[arg-type]


def test_next_due_is_the_same_day_months_later_or_the_months_last_day() -> None:
    assert next_due(date(2026, 3, 15), "C") == date(2026, 6, 15)
    assert next_due(date(2026, 1, 31), "D") == date(2026, 2, 28)
    assert next_due(date(2027, 12, 31), "D") == date(2028, 1, 31)
    assert next_due(date(2026, 5, 4), "A", KEY_ENTERPRISE) == date(2026, 11, 4)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_an_enterprise_never_patrolled_is_due_today() -> None:
    assert next_due(None, "A", today=date(2026, 5, 4)) == date(2026, 5, 4)
    with pytest.raises(ValueError, match="pass today"):
        next_due(None, "A")


def enterprise(
    code: str, klass: str, *patrols: date, flags: KeyFlags | None = None
) -> PlannedEnterprise:
    return PlannedEnterprise(
        credit_code=code,
        supervision_class=klass,  # type: ignore[arg-type]
        flags=flags or KeyFlags(),
        patrols=patrols,
    )


def test_coverage_of_a_quarter_sorts_enterprises_into_as_planned_late_and_overdue() -> None:
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    result = coverage(
        [
            # D monthly: patrolled 15 Mar, 10 Apr, 9 May, 8 Jun -> next due 8 Jul: as planned
            enterprise(
                "D-kept",
                "D",
                date(2026, 3, 15),
                date(2026, 4, 10),
                date(2026, 5, 9),
                date(2026, 6, 8),
            ),
            # D monthly: due 15 Apr, patrolled 20 Apr (late), then 19 May, 18 Jun: late
            enterprise(
                "D-late",
                "D",
                date(2026, 3, 15),
                date(2026, 4, 20),
                date(2026, 5, 19),
                date(2026, 6, 18),
            ),
            # C quarterly: due 10 Apr, nothing since: overdue
            enterprise("C-overdue", "C", date(2026, 1, 10)),
            # A yearly, patrolled last autumn: not due this quarter, not planned
            enterprise("A-not-due", "A", date(2025, 10, 1)),
            # A with a key flag: half-yearly from 1 Oct, due 1 Apr, done 1 Apr: as planned
            enterprise("A-key", "A", date(2025, 10, 1), date(2026, 4, 1), flags=KEY_ENTERPRISE),
            # never patrolled: due within the period; none done: overdue
            enterprise("new", "B"),
            # never patrolled before, patrolled in the middle of the period: as planned
            enterprise("new-patrolled", "B", date(2026, 5, 20)),
        ],
        start,
        end,
    )
    assert result.planned == ("A-key", "C-overdue", "D-kept", "D-late", "new", "new-patrolled")
    assert result.as_planned == ("A-key", "D-kept", "new-patrolled")
    assert result.late == ("D-late",)
    assert result.overdue == ("C-overdue", "new")
    assert result.share == pytest.approx(3 / 6)


def test_a_period_with_nothing_due_is_fully_covered() -> None:
    result = coverage([enterprise("A", "A", date(2026, 3, 1))], date(2026, 4, 1), date(2026, 4, 30))
    assert (result.planned, result.share) == ((), 1.0)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        coverage([], date(2026, 4, 30), date(2026, 4, 1))


def test_patrols_due_by_a_day_are_listed_earliest_first() -> None:
    due = patrols_due(
        [
            enterprise("C", "C", date(2026, 1, 10), date(2026, 2, 1)),
            enterprise("D", "D", date(2026, 4, 20)),
            enterprise("A", "A", date(2026, 1, 1)),
            enterprise("new", "B"),
        ],
        today=date(2026, 5, 4),
        until=date(2026, 5, 31),
    )
    assert due == [("C", date(2026, 5, 1)), ("new", date(2026, 5, 4)), ("D", date(2026, 5, 20))]
