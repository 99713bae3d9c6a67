"""Measures on a handled case, given/when/then: warnings, guidance, rectification, extension."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_given import (
    CLUE,
    DOCUMENT_HASH,
    ENTERPRISE,
    FINE,
    HANDLED,
    IN_INVESTIGATION,
    LATER,
    NO_PENALTY,
    NOTIFIED,
    NUMBER,
    ORDERED,
    TODAY,
    S,
    given,
)

from ccc_shared.contracts.enforcement import WarningIssued
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


def test_warning_and_guidance_while_the_case_is_handled() -> None:
    given(*HANDLED).when(case_commands.IssueWarning(content="停止使用标志", **N)).then(
        WarningIssued(
            subject_credit_code=ENTERPRISE,
            article="Order 117 art 37",
            content="停止使用标志",
            issued_on=TODAY,
            **N,
        )
    )
    given(*HANDLED).when(case_commands.GiveGuidance(content="标志规范", **N)).then(
        case_events.GuidanceGiven(content="标志规范", given_on=TODAY, **S)
    )
    given(*CLUE).when(case_commands.IssueWarning(content="x", **N)).then_raises("while clue")


def test_rectification_is_ordered_with_a_later_deadline_then_verified() -> None:
    order = case_commands.OrderRectification(requirement="停产整改", deadline=LATER, **N)
    given(*HANDLED).when(order).then(ORDERED)
    given(*HANDLED).when(order, LATER).then_raises("must be after")
    given(*HANDLED, ORDERED).when(order).then_raises("still awaiting verification")
    given(*HANDLED).when(case_commands.VerifyRectification(passed=True, **N)).then_raises(
        "no rectification"
    )
    state = (
        given(*HANDLED, ORDERED)
        .when(case_commands.VerifyRectification(passed=True, **N), LATER)
        .then(case_events.RectificationVerified(passed=True, verified_on=LATER, **S))
    )
    assert state.rectification_deadline is None


def test_a_failed_rectification_escalates_to_a_penalty() -> None:
    failed = case_events.RectificationVerified(
        passed=False, verified_on=LATER, escalated_to="section_head", **S
    )
    history = (*IN_INVESTIGATION, ORDERED, failed)
    given(*history).when(case_commands.DecideNoPenalty(reason_code="rectified", **N)).then_raises(
        "decide a penalty"
    )
    given(*history, NOTIFIED).when(decide_fine).then(FINE)


def test_an_open_rectification_order_blocks_closure() -> None:
    given(*IN_INVESTIGATION, NO_PENALTY, ORDERED).when(case_commands.CloseCase(**N)).then_raises(
        "still awaiting verification"
    )


def test_the_decision_deadline_is_extended_once_by_30_days() -> None:
    extend = case_commands.ExtendDecisionDeadline(
        approved_by="局长", approval_reference="批-1", **N
    )
    extended = case_events.DecisionDeadlineExtended(
        approved_by="局长",
        approval_reference="批-1",
        extended_on=TODAY,
        decision_due_on=date(2025, 7, 1),
        period_ends_on=date(2025, 7, 1),
        **S,
    )
    state = given(*HANDLED).when(extend).then(extended)
    assert state.decision_due_on == date(2025, 7, 1)
    given(*HANDLED, extended).when(extend).then_raises("only once")
    given(*CLUE).when(extend).then_raises("while clue")
