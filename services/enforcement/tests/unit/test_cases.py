"""Case lifecycle, given/when/then: each legal transition, and illegal ones refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from enforcement_given import (
    ASSIGNED,
    CLUE,
    DOCUMENT_HASH,
    ENTERPRISE,
    EXECUTED,
    FINE,
    HANDLED,
    IN_INVESTIGATION,
    IN_NOTICE,
    INVESTIGATING,
    LATER,
    NO_PENALTY,
    NOTIFIED,
    NUMBER,
    PENALISED,
    TODAY,
    S,
    given,
    opened,
)
from pydantic import ValidationError

from ccc_shared.contracts.enforcement import (
    CaseClosed,
    CaseReportDue,
)
from enforcement.domain import case_commands, case_events

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}

decide_fine = case_commands.DecidePenalty(
    basis_article="Order 117 art 49",
    penalty_type="fine",
    amount=80_000,
    decision_document_number="X市监罚〔2025〕1号",
    decision_document_sha256=DOCUMENT_HASH,
    document_uploaded=True,
    **N,
)


def test_a_violation_opens_a_clue_due_for_a_decision_in_15_working_days() -> None:
    command = case_commands.OpenCase(
        source="violation",
        violation_id="V-1",
        subject_kind="enterprise",
        subject_credit_code=ENTERPRISE,
        problem="no_certificate",
        **N,
    )
    state = given().when(command).then(opened())
    assert state.status == "clue"


def test_a_case_is_opened_once() -> None:
    command = case_commands.OpenCase(
        source="manual",
        subject_kind="enterprise",
        subject_credit_code=ENTERPRISE,
        problem="mark_misuse",
        **N,
    )
    given(*CLUE).when(command).then_raises("is already open (clue)")


def test_the_case_number_carries_the_year_it_is_opened_in() -> None:
    command = case_commands.OpenCase(
        source="manual",
        subject_kind="enterprise",
        subject_credit_code=ENTERPRISE,
        problem="mark_misuse",
        case_number="CCC-2024-00001",
    )
    given().when(command).then_raises("a case opened in 2025 is CCC-2025-")
    assert case_commands.case_number(2025, 42) == "CCC-2025-00042"
    with pytest.raises(ValidationError):
        case_commands.RegisterCase(case_number="2025-1")


def test_the_source_and_staff_are_named_consistently() -> None:
    with pytest.raises(ValidationError, match="violation_id"):
        case_commands.OpenCase(
            source="violation",
            subject_kind="enterprise",
            subject_credit_code=ENTERPRISE,
            problem="no_certificate",
            **N,
        )
    with pytest.raises(ValidationError, match="complaint_id"):
        case_commands.OpenCase(
            source="manual",
            complaint_id="C-1",
            subject_kind="enterprise",
            subject_credit_code=ENTERPRISE,
            problem="no_certificate",
            **N,
        )
    with pytest.raises(ValidationError, match="staff member"):
        case_commands.OpenCase(
            source="manual",
            subject_kind="certification_body_staff",
            subject_credit_code=ENTERPRISE,
            problem="external",
            **N,
        )


def test_a_body_staff_member_can_be_the_subject() -> None:
    command = case_commands.OpenCase(
        source="complaint",
        complaint_id="C-7",
        subject_kind="certification_body_staff",
        subject_credit_code=ENTERPRISE,
        subject_staff_name="李明",
        problem="external",
        **N,
    )
    expected = opened(
        source="complaint",
        violation_id=None,
        complaint_id="C-7",
        subject_kind="certification_body_staff",
        subject_staff_name="李明",
        problem="external",
    )
    given().when(command).then(expected)


def test_nothing_happens_to_a_case_not_opened() -> None:
    given().when(case_commands.RegisterCase(**N)).then_raises("is not open")


def test_dropping_a_clue_needs_a_reason_and_ends_it() -> None:
    with pytest.raises(ValidationError):
        case_commands.DropClue(reason="", **N)
    state = (
        given(*CLUE)
        .when(case_commands.DropClue(reason="no catalogue product", **N))
        .then(case_events.ClueDropped(reason="no catalogue product", dropped_on=TODAY, **N))
    )
    assert state.status == "dropped"
    given(*CLUE, case_events.ClueDropped(reason="x", dropped_on=TODAY, **N)).when(
        case_commands.RegisterCase(**N)
    ).then_raises("cannot RegisterCase while dropped")


def test_only_a_clue_is_dropped() -> None:
    given(*HANDLED).when(case_commands.DropClue(reason="x", **N)).then_raises("while registered")


def test_assignment_then_reassignment_with_a_reason_is_recorded() -> None:
    given(*CLUE).when(case_commands.AssignCase(department="稽查科", officer="王芳", **N)).then(
        ASSIGNED
    )
    given(*CLUE, ASSIGNED).when(
        case_commands.AssignCase(department="稽查科", officer="赵强", **N)
    ).then_raises("a reassignment needs a reason")
    given(*CLUE, ASSIGNED).when(
        case_commands.AssignCase(department="稽查科", officer="王芳", reason="x", **N)
    ).then_raises("already assigned to 王芳")
    state = (
        given(*CLUE, ASSIGNED)
        .when(
            case_commands.AssignCase(department="稽查科", officer="赵强", reason="leave", **N),
            LATER,
        )
        .then(
            case_events.CaseAssigned(
                department="稽查科",
                officer="赵强",
                previous_department="稽查科",
                previous_officer="王芳",
                reason="leave",
                assigned_on=LATER,
                **S,
            )
        )
    )
    assert (state.reassignments, state.officer) == (1, "赵强")


def test_registration_needs_an_officer_and_sets_the_90_day_deadline() -> None:
    given(*CLUE).when(case_commands.RegisterCase(**N)).then_raises("assigned to no officer")
    # 90 days after Monday 2025-03-03 is Sunday 1 June, inside the Dragon Boat holiday (31 May
    # to 2 June): the period ends on Tuesday 3 June, the first working day after it.
    state = (
        given(*CLUE, ASSIGNED)
        .when(case_commands.RegisterCase(**N))
        .then(
            case_events.CaseRegistered(
                registered_on=TODAY,
                decision_due_on=date(2025, 6, 3),
                period_ends_on=date(2025, 6, 1),
                **S,
            )
        )
    )
    assert state.status == "registered"


def test_investigation_then_notice() -> None:
    given(*HANDLED).when(case_commands.StartInvestigation(**N)).then(INVESTIGATING)
    given(*IN_INVESTIGATION).when(case_commands.NotifyParty(intended="fine 80,000 RMB", **N)).then(
        NOTIFIED
    )
    given(*HANDLED).when(case_commands.NotifyParty(intended="x", **N)).then_raises(
        "while registered"
    )
    given(*CLUE).when(case_commands.StartInvestigation(**N)).then_raises("while clue")


def test_a_penalty_needs_the_party_notified_first() -> None:
    given(*IN_INVESTIGATION).when(decide_fine).then_raises(
        "cannot DecidePenalty while investigating"
    )
    state = given(*IN_NOTICE).when(decide_fine).then(FINE)
    assert state.status == "decided"


def test_a_fine_outside_the_article_is_refused_with_its_range() -> None:
    too_high = decide_fine.model_copy(update={"amount": 250_000})
    given(*IN_NOTICE).when(too_high).then_raises("outside the allowed 50,000 to 200,000 RMB")


def test_a_decision_may_add_another_type_but_not_the_same_twice() -> None:
    correct = decide_fine.model_copy(update={"penalty_type": "order_to_correct", "amount": 0})
    state = (
        given(*PENALISED)
        .when(correct)
        .then(FINE.model_copy(update={"penalty_type": "order_to_correct", "amount": 0}))
    )
    assert len(state.penalties) == 2
    given(*PENALISED).when(decide_fine).then_raises("a fine was already decided")


def test_execution_then_closure_with_the_report_due_20_days_later() -> None:
    given(*PENALISED).when(case_commands.ExecuteDecision(**N)).then(EXECUTED)
    given(*PENALISED).when(case_commands.CloseCase(**N)).then_raises("has not been executed")
    closed_on = date(2025, 4, 1)
    state = (
        given(*PENALISED, EXECUTED)
        .when(case_commands.CloseCase(**N), closed_on)
        .then(
            CaseClosed(
                subject_credit_code=ENTERPRISE,
                outcome="penalty",
                closed_on=closed_on,
                report_due_on=date(2025, 4, 21),
                opened_on=TODAY,
                **N,
            ),
            CaseReportDue(
                subject_credit_code=ENTERPRISE,
                closed_on=closed_on,
                report_due_on=date(2025, 4, 21),
                **N,
            ),
        )
    )
    assert state.status == "closed"
    given(
        *PENALISED,
        EXECUTED,
        CaseClosed(
            subject_credit_code=ENTERPRISE,
            outcome="penalty",
            closed_on=closed_on,
            report_due_on=closed_on,
            **N,
        ),
    ).when(case_commands.IssueWarning(content="x", **N)).then_raises("while closed")


def test_a_case_without_penalty_closes_without_a_report() -> None:
    given(*IN_INVESTIGATION).when(
        case_commands.DecideNoPenalty(reason_code="warning_sufficient", **N)
    ).then(NO_PENALTY)
    given(*IN_INVESTIGATION, NO_PENALTY).when(case_commands.ExecuteDecision(**N)).then_raises(
        "nothing to execute"
    )
    given(*IN_INVESTIGATION, NO_PENALTY).when(case_commands.CloseCase(**N)).then(
        CaseClosed(
            subject_credit_code=ENTERPRISE,
            outcome="warning_sufficient",
            closed_on=TODAY,
            report_due_on=TODAY + timedelta(days=20),
            opened_on=TODAY,
            report_required=False,
            **N,
        )
    )
    given(*HANDLED).when(case_commands.CloseCase(**N)).then_raises(
        "cannot CloseCase while registered"
    )
