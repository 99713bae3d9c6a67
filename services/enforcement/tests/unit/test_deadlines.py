"""Deadlines: what runs when, what is missed, and that a missed one is recorded only once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from enforcement_given import (
    ASSIGNED,
    CLUE,
    HANDLED,
    NO_PENALTY,
    NUMBER,
    ORDERED,
    PENALISED,
    given,
    opened,
)

from ccc_shared.contracts.enforcement import DeadlineMissed
from enforcement.domain import case_commands
from enforcement.domain.case_deadlines import Deadline, deadlines, missed
from enforcement.domain.case_state import replay

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}
REGISTER_BY = date(2025, 3, 24)  # 15 working days after Monday 3 March 2025


def test_a_clue_must_be_registered_or_dropped_within_15_working_days() -> None:
    case = replay(CLUE)
    assert case is not None
    assert deadlines(case) == [Deadline("register_decision", REGISTER_BY)]
    assert missed(case, REGISTER_BY) == []
    assert missed(case, REGISTER_BY + timedelta(days=1)) == [
        Deadline("register_decision", REGISTER_BY)
    ]


def test_the_register_deadline_skips_holidays() -> None:
    command = case_commands.OpenCase(
        source="manual",
        subject_kind="enterprise",
        subject_credit_code=opened().subject_credit_code,
        problem="mark_misuse",
        **N,
    )
    case = (
        given()
        .when(command, date(2025, 9, 26))
        .then(
            opened(
                source="manual",
                violation_id=None,
                problem="mark_misuse",
                found_on=date(2025, 9, 26),
                opened_on=date(2025, 9, 26),
                register_decision_due_on=date(2025, 10, 23),
            )
        )
    )
    assert deadlines(case)[0].due_on == date(2025, 10, 23)


def test_a_registered_case_must_be_decided_within_90_days_then_the_deadline_stops() -> None:
    case = replay(HANDLED)
    assert case is not None
    assert deadlines(case) == [Deadline("case_decision", date(2025, 6, 1))]
    decided = replay(PENALISED)
    assert decided is not None
    assert deadlines(decided) == []


def test_an_open_rectification_order_runs_to_its_deadline() -> None:
    case = replay((*HANDLED, NO_PENALTY, ORDERED))
    assert case is not None
    assert deadlines(case) == [Deadline("rectification", ORDERED.deadline)]


def test_a_missed_deadline_is_recorded_once_and_escalated_to_the_section_head() -> None:
    late = REGISTER_BY + timedelta(days=2)
    record = case_commands.RecordDeadlineMissed(
        deadline="register_decision", due_on=REGISTER_BY, **N
    )
    event = DeadlineMissed(
        subject_credit_code=opened().subject_credit_code,
        deadline="register_decision",
        due_on=REGISTER_BY,
        noticed_on=late,
        **N,
    )
    case = given(*CLUE).when(record, late).then(event)
    assert event.escalated_to == "section_head"
    assert missed(case, late) == []
    given(*CLUE, event).when(record, late).then_raises("is not missed")
    given(*CLUE).when(record, REGISTER_BY).then_raises("is not missed")
    given(*CLUE, ASSIGNED).when(
        case_commands.RecordDeadlineMissed(deadline="case_decision", due_on=REGISTER_BY, **N), late
    ).then_raises("is not missed")
