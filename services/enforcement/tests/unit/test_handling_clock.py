"""The handling clock, given/when/then: the limitation period at registration, the 90 days
stopped for a hearing and a test, the extensions, and a period ending on a holiday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from enforcement_given import (
    ASSIGNED,
    CLUE,
    DOCUMENT_HASH,
    HANDLED,
    IN_NOTICE,
    NUMBER,
    REGISTERED,
    TODAY,
    S,
    given,
    opened,
)
from hypothesis import given as for_all
from hypothesis import strategies as st

from ccc_shared.contracts.enforcement import HandlingClockRestarted, HandlingClockStopped
from enforcement.domain import case_commands, case_events, cases
from enforcement.domain.calendar import CHINA
from enforcement.domain.case_clock import period_end, years_after
from enforcement.domain.case_deadlines import deadlines
from enforcement.domain.case_state import replay

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}


def test_a_clue_found_within_two_years_of_the_act_is_registered_with_the_act_day() -> None:
    # found on 2025-03-03: the act on 2023-03-03 is exactly two years back, the last day
    register = case_commands.RegisterCase(violation_on=date(2023, 3, 3), **N)
    state = (
        given(*CLUE, ASSIGNED)
        .when(register)
        .then(
            case_events.CaseRegistered(
                registered_on=TODAY,
                decision_due_on=date(2025, 6, 3),
                period_ends_on=date(2025, 6, 1),
                violation_on=date(2023, 3, 3),
                **S,
            )
        )
    )
    assert state.violation_on == date(2023, 3, 3)


def test_a_clue_found_more_than_two_years_after_the_act_is_refused_with_the_dates() -> None:
    register = case_commands.RegisterCase(violation_on=date(2023, 3, 2), **N)
    given(*CLUE, ASSIGNED).when(register).then_raises(
        "past the limitation period: the act on 2023-03-02 was found on 2025-03-03, more than"
        " 2 years later (last day 2025-03-02); not punished (Administrative Penalty Law 2021"
        " art 36 para 1)"
    )


def test_five_years_where_life_health_or_financial_safety_was_harmed() -> None:
    harmed = case_commands.RegisterCase(
        violation_on=date(2020, 3, 3), harm_to_life_health_or_finance=True, **N
    )
    state = given(*CLUE, ASSIGNED).when(harmed).decided()
    assert [type(event) for event in state] == [case_events.CaseRegistered]
    older = harmed.model_copy(update={"violation_on": date(2020, 3, 2)})
    given(*CLUE, ASSIGNED).when(older).then_raises("more than 5 years later (last day 2025-03-02)")


def test_the_limitation_counts_to_the_day_the_clue_was_found_not_the_day_it_was_entered() -> None:
    found_earlier = opened(found_on=date(2025, 2, 28))
    register = case_commands.RegisterCase(violation_on=date(2023, 3, 1), **N)
    assert given(found_earlier, ASSIGNED).when(register).decided()
    given(found_earlier, ASSIGNED).when(
        register.model_copy(update={"violation_on": date(2025, 3, 1)})
    ).then_raises("the act on 2025-03-01 is after the clue was found (2025-02-28)")


def test_a_leap_day_act_is_time_barred_after_28_february() -> None:
    assert years_after(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert years_after(date(2023, 3, 3), 2) == date(2025, 3, 3)


def test_the_90_days_stop_for_a_hearing_and_a_test() -> None:
    hearing = case_commands.StopHandlingClock(reason="hearing", on=date(2025, 3, 10), **N)
    stopped = HandlingClockStopped(reason="hearing", stopped_on=date(2025, 3, 10), **S)
    state = given(*HANDLED).when(hearing, date(2025, 3, 12)).then(stopped)
    assert [d.kind for d in deadlines(state)] == []  # nothing runs while it stands still
    restart = case_commands.RestartHandlingClock(**N)
    # 10 days not counted: the period's last day moves from 1 June to 11 June (a Wednesday)
    after_hearing = HandlingClockRestarted(
        reason="hearing",
        stopped_on=date(2025, 3, 10),
        restarted_on=date(2025, 3, 20),
        days_not_counted=10,
        decision_due_on=date(2025, 6, 11),
        **S,
    )
    given(*HANDLED, stopped).when(restart, date(2025, 3, 20)).then(after_hearing)
    test = HandlingClockStopped(reason="testing", stopped_on=date(2025, 4, 1), **S)
    tested = HandlingClockRestarted(
        reason="testing",
        stopped_on=date(2025, 4, 1),
        restarted_on=date(2025, 4, 21),
        days_not_counted=20,
        decision_due_on=date(2025, 7, 1),
        **S,
    )
    history = (*HANDLED, stopped, after_hearing, test)
    state = given(*history).when(restart, date(2025, 4, 21)).then(tested)
    assert (state.decision_due_on, state.days_not_counted) == (date(2025, 7, 1), 30)
    assert [(d.kind, d.due_on) for d in deadlines(state)] == [("case_decision", date(2025, 7, 1))]


def test_the_clock_stops_once_restarts_once_and_never_on_a_day_to_come() -> None:
    stopped = HandlingClockStopped(reason="public_notice", stopped_on=TODAY, **S)
    again = case_commands.StopHandlingClock(reason="appraisal", **N)
    given(*HANDLED, stopped).when(again).then_raises(
        "already stopped for public_notice since 2025-03-03"
    )
    given(*HANDLED).when(case_commands.RestartHandlingClock(**N)).then_raises("nothing to restart")
    tomorrow = TODAY + timedelta(days=1)
    given(*HANDLED).when(
        case_commands.StopHandlingClock(reason="hearing", on=tomorrow, **N)
    ).then_raises("cannot be stopped on 2025-03-04, after today (2025-03-03)")
    given(*HANDLED, stopped).when(
        case_commands.RestartHandlingClock(on=TODAY - timedelta(days=1), **N)
    ).then_raises("it cannot restart on 2025-03-02")
    given(*CLUE).when(again).then_raises("cannot StopHandlingClock while clue")


def test_no_decision_while_the_clock_is_stopped() -> None:
    stopped = HandlingClockStopped(reason="hearing", stopped_on=TODAY, **S)
    fine = case_commands.DecidePenalty(
        basis_article="Order 117 art 49",
        penalty_type="fine",
        amount=80_000,
        decision_document_number="X市监罚〔2025〕1号",
        decision_document_sha256=DOCUMENT_HASH,
        document_uploaded=True,
        **N,
    )
    given(*IN_NOTICE, stopped).when(fine).then_raises(
        "the handling clock stopped for hearing on 2025-03-03; restart it"
    )


def test_after_the_heads_30_days_only_a_collective_decision_extends_with_its_own_period() -> None:
    head = case_commands.ExtendDecisionDeadline(approved_by="局长", approval_reference="批-1", **N)
    collective = case_commands.ExtendDecisionDeadline(
        approved_by="局务会", approval_reference="集体讨论-3", collective=True,
        decision_due_on=date(2025, 8, 30), **N,
    )  # fmt: skip
    given(*HANDLED).when(collective).then_raises("only after the head's 30-day extension")
    by_head = case_events.DecisionDeadlineExtended(
        approved_by="局长", approval_reference="批-1", extended_on=TODAY,
        decision_due_on=date(2025, 7, 1), period_ends_on=date(2025, 7, 1), **S,
    )  # fmt: skip
    given(*HANDLED).when(head).then(by_head)
    given(*HANDLED, by_head).when(head).then_raises("a further extension needs the heads'")
    no_period = collective.model_copy(update={"decision_due_on": None})
    given(*HANDLED, by_head).when(no_period).then_raises("sets the new period")
    # 30 August 2025 is a Saturday: the collective period ends on Monday 1 September
    state = (
        given(*HANDLED, by_head)
        .when(collective)
        .then(
            case_events.DecisionDeadlineExtended(
                approved_by="局务会",
                approval_reference="集体讨论-3",
                extended_on=TODAY,
                decision_due_on=date(2025, 9, 1),
                period_ends_on=date(2025, 8, 30),
                collective=True,
                **S,
            )
        )
    )
    assert state.extensions == 2


def test_a_case_registered_on_5_january_2026_is_due_after_qingming() -> None:
    opened_2026 = opened(
        case_number="CCC-2026-00001", found_on=date(2026, 1, 5), opened_on=date(2026, 1, 5)
    )
    assigned = ASSIGNED.model_copy(update={"case_number": "CCC-2026-00001"})
    state = replay([opened_2026, assigned])
    register = case_commands.RegisterCase(case_number="CCC-2026-00001")
    [event] = cases.decide(state, register, date(2026, 1, 5), CHINA)
    # 90 days later is Sunday 5 April 2026, inside Qingming (4-6 April): Tuesday 7 April
    assert isinstance(event, case_events.CaseRegistered)
    assert (event.period_ends_on, event.decision_due_on) == (date(2026, 4, 5), date(2026, 4, 7))


def test_the_registered_fixture_ends_its_period_on_its_own_day() -> None:
    state = replay([*CLUE, ASSIGNED, REGISTERED])
    assert state is not None
    assert state.decision_period_ends_on == REGISTERED.decision_due_on


@for_all(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)))
def test_a_period_ends_on_the_first_working_day_on_or_after_its_last_day(last: date) -> None:
    end = period_end(CHINA, last)
    assert end >= last
    assert CHINA.is_working_day(end)
    assert not any(CHINA.is_working_day(last + timedelta(days=i)) for i in range((end - last).days))
