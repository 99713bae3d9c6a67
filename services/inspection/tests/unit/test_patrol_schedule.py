"""From the plan to patrols: deterministic ids, one open patrol per enterprise, re-planning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import settings
from hypothesis import strategies as st

from ccc_contracts.credit_code import check_character
from inspection.domain.inspection_commands import CancelInspection, ScheduleInspection
from inspection.domain.patrol_plan import KeyFlags, PlannedEnterprise
from inspection.domain.patrol_schedule import (
    EnterpriseFacts,
    OpenPatrol,
    key_flags,
    later_id,
    patrol_id,
    patrols_to_schedule,
    planned,
    replan,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 4)
UNTIL = date(2026, 5, 18)
A_CODE = "914403001922038216"
B_CODE = "91330100MA27XL0Y34"


def facts(**changes: object) -> EnterpriseFacts:
    values: dict[str, object] = {
        "credit_code": A_CODE,
        "supervision_class": "B",
        "key_enterprise": False,
        "region": "西湖区",
        "certified_categories": ("0701",),
        "patrols": (),
    }
    return EnterpriseFacts(**(values | changes))  # type: ignore[arg-type]


def enterprise(
    code: str = A_CODE, cls: str = "B", patrols: tuple[date, ...] = ()
) -> PlannedEnterprise:
    return PlannedEnterprise(credit_code=code, supervision_class=cls, patrols=patrols)  # type: ignore[arg-type]


def test_the_three_key_points_come_from_the_register_and_the_provincial_lists() -> None:
    flags = key_flags(facts(key_enterprise=True), key_products=["0701"], key_regions=["上城区"])
    assert flags == KeyFlags(key_enterprise=True, key_product=True, key_region=False)
    assert key_flags(facts(), [], ["西湖区"]) == KeyFlags(key_region=True)


def test_an_unclassified_certified_enterprise_is_planned_as_class_c() -> None:
    assert planned(facts(supervision_class=None), [], []).supervision_class == "C"


def test_a_patrol_id_is_the_enterprise_and_its_planned_day() -> None:
    assert patrol_id(A_CODE, date(2026, 6, 1)) == "patrol-914403001922038216-20260601"


def test_patrols_due_within_the_horizon_are_scheduled_never_patrolled_today() -> None:
    due_soon = enterprise(B_CODE, "D", patrols=(date(2026, 4, 10),))  # due 10 May
    later = enterprise("91110000100000000R", "A", patrols=(date(2026, 1, 10),))
    commands = patrols_to_schedule([enterprise(), due_soon, later], {}, TODAY, UNTIL)
    assert [(c.inspection_id, c.due_on) for c in commands] == [
        ("patrol-914403001922038216-20260504", TODAY),
        ("patrol-91330100MA27XL0Y34-20260510", date(2026, 5, 10)),
    ]
    assert commands[0].kind == "patrol"
    assert "class B" in commands[0].cause


def test_a_patrol_overdue_by_the_plan_is_due_today_under_its_planned_days_id() -> None:
    late = enterprise(cls="D", patrols=(date(2026, 3, 1),))  # due 1 April
    (command,) = patrols_to_schedule([late], {}, TODAY, UNTIL)
    assert (command.inspection_id, command.due_on) == ("patrol-914403001922038216-20260401", TODAY)


def test_an_enterprise_with_an_open_patrol_gets_no_second_one() -> None:
    busy = {A_CODE: [OpenPatrol("INS-by-hand", "assigned")]}
    assert patrols_to_schedule([enterprise()], busy, TODAY, UNTIL) == []


def test_the_same_enterprises_and_patrols_in_any_order_ask_for_the_same_patrols() -> None:
    history = (date(2026, 4, 10), date(2025, 12, 1), date(2026, 1, 5))  # last one: 10 April
    group = [enterprise(), enterprise(B_CODE, "D", patrols=history)]
    again = [enterprise(B_CODE, "D", patrols=tuple(sorted(history))), enterprise()]
    expected = [
        ("patrol-914403001922038216-20260504", date(2026, 5, 4)),
        ("patrol-91330100MA27XL0Y34-20260510", date(2026, 5, 10)),
    ]
    assert [(c.inspection_id, c.due_on) for c in patrols_to_schedule(group, {}, TODAY, UNTIL)] == (
        expected
    )
    assert [(c.inspection_id, c.due_on) for c in patrols_to_schedule(again, {}, TODAY, UNTIL)] == (
        expected
    )


def test_a_worse_class_cancels_the_planned_patrol_not_started_and_plans_the_closer_one() -> None:
    last = (date(2026, 4, 10),)
    old_id = "patrol-914403001922038216-20261010"  # class B: half-yearly
    orders = replan(
        enterprise(cls="D", patrols=last),
        [OpenPatrol(old_id, "assigned")],
        TODAY,
        UNTIL,
        "class B -> D",
    )
    assert orders == [
        CancelInspection(
            inspection_id=old_id, reason="re-planned: class B -> D; next due 2026-05-10"
        ),
        ScheduleInspection(
            inspection_id="patrol-914403001922038216-20260510",
            enterprise_credit_code=A_CODE,
            kind="patrol",
            due_on=date(2026, 5, 10),
            cause="patrol plan: class D, due 2026-05-10",
        ),
    ]


def test_a_better_class_cancels_the_planned_patrol_and_leaves_the_next_to_the_job() -> None:
    last = (date(2026, 4, 10),)
    old_id = "patrol-914403001922038216-20260510"
    orders = replan(
        enterprise(cls="A", patrols=last), [OpenPatrol(old_id, "scheduled")], TODAY, UNTIL, "D->A"
    )
    assert [type(order) for order in orders] == [CancelInspection]


@pytest.mark.parametrize(
    "open_patrol",
    [
        OpenPatrol("patrol-914403001922038216-20261010", "started"),
        OpenPatrol("INS-by-hand", "scheduled"),
        OpenPatrol("patrol-914403001922038216-20260510", "scheduled"),
    ],
    ids=["started", "by hand", "same day"],
)
def test_a_started_a_hand_made_or_an_unmoved_patrol_stands(open_patrol: OpenPatrol) -> None:
    last = (date(2026, 4, 10),)
    assert replan(enterprise(cls="D", patrols=last), [open_patrol], TODAY, UNTIL, "B -> D") == []


def test_an_enterprise_never_patrolled_keeps_its_open_patrol_whatever_its_class() -> None:
    open_patrol = OpenPatrol("patrol-914403001922038216-20260501", "scheduled")
    assert replan(enterprise(cls="D"), [open_patrol], TODAY, UNTIL, "B -> D") == []
    (order,) = replan(enterprise(cls="D"), [], TODAY, UNTIL, "B -> D")
    assert isinstance(order, ScheduleInspection)
    assert order.due_on == TODAY


@settings(max_examples=200, deadline=None)
@hypothesis_given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            st.lists(st.integers(min_value=1, max_value=500), max_size=3),
        ),
        max_size=6,
    ),
    st.integers(min_value=0, max_value=60),
)
def test_a_second_run_after_the_first_schedules_nothing_and_ids_never_repeat(
    drawn: list[tuple[str, list[int]]], horizon: int
) -> None:
    group = [
        enterprise(
            with_check_character(f"91330100MA{number:07d}"),
            cls,
            tuple(TODAY - timedelta(days=d) for d in days_ago),
        )
        for number, (cls, days_ago) in enumerate(drawn)
    ]
    until = TODAY + timedelta(days=horizon)
    first = patrols_to_schedule(group, {}, TODAY, until)
    assert len({c.inspection_id for c in first}) == len(first)
    assert all(TODAY <= c.due_on <= until for c in first)
    opened = {c.enterprise_credit_code: [OpenPatrol(c.inspection_id, "scheduled")] for c in first}
    assert patrols_to_schedule(group, opened, TODAY, until) == []
    never_patrolled = {e.credit_code for e in group if not e.patrols}
    assert never_patrolled <= {c.enterprise_credit_code for c in first}


def test_a_day_planned_again_keeps_its_later_patrol_and_takes_a_free_id() -> None:
    planned_id = "patrol-914403001922038216-20260510"
    assert later_id(planned_id, 1) == "patrol-914403001922038216-20260510"
    assert later_id(planned_id, 2) == "patrol-914403001922038216-20260510-2"
    again = OpenPatrol("patrol-914403001922038216-20260510-2", "scheduled")
    last = (date(2026, 4, 10),)
    assert replan(enterprise(cls="D", patrols=last), [again], TODAY, UNTIL, "A -> D") == []


def with_check_character(body: str) -> str:
    """A credit code from its first 17 characters (GB 32100 check character appended)."""
    return body + check_character(body)
