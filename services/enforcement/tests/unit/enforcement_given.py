"""Given/when/then for the enforcement case (``ccc_shared.testing.given``) and the histories
its tests share: ``given(*events).when(command).then(*events)``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ccc_shared.contracts.enforcement import CaseOpened, PenaltyDecided, RectificationOrdered
from ccc_shared.testing.given import Behaviour
from enforcement.domain import case_events, cases
from enforcement.domain.calendar import CHINA
from enforcement.domain.case_commands import CaseCommand
from enforcement.domain.case_events import CaseEvent
from enforcement.domain.case_state import Case, evolve

TODAY = date(2025, 3, 3)  # a Monday
NUMBER = "CCC-2025-00001"
ENTERPRISE = "914403001922038216"
DOCUMENT_HASH = "ab" * 32
LATER = TODAY + timedelta(days=10)
N = {"case_number": NUMBER}


def decide(state: Case | None, command: CaseCommand, today: date) -> list[CaseEvent]:
    """The case's decisions on the built-in working-day calendar."""
    return cases.decide(state, command, today, CHINA)


case = Behaviour(decide, evolve, TODAY)
given = case.given  # the history the command meets


def opened(**changes: Any) -> CaseOpened:
    """The CaseOpened of a violation case against an enterprise, opened on TODAY."""
    fields: dict[str, Any] = {
        "case_number": NUMBER,
        "source": "violation",
        "violation_id": "V-1",
        "subject_kind": "enterprise",
        "subject_credit_code": ENTERPRISE,
        "problem": "no_certificate",
        "found_on": TODAY,
        "opened_on": TODAY,
        "register_decision_due_on": date(2025, 3, 24),
    }
    return CaseOpened(**(fields | changes))


S = {"subject_credit_code": ENTERPRISE, **N}
ASSIGNED = case_events.CaseAssigned(department="稽查科", officer="王芳", assigned_on=TODAY, **S)
REGISTERED = case_events.CaseRegistered(registered_on=TODAY, decision_due_on=date(2025, 6, 1), **S)
INVESTIGATING = case_events.InvestigationStarted(started_on=TODAY, **S)
NOTIFIED = case_events.PartyNotified(notified_on=TODAY, intended="fine 80,000 RMB", **S)
FINE = PenaltyDecided(
    subject_credit_code=ENTERPRISE,
    basis_article="Order 117 art 49",
    penalty_type="fine",
    amount=80_000,
    law_version="Order 117 (2022 amendment), Regulations (2023 revision)",
    decision_document_number="X市监罚〔2025〕1号",
    decision_document_sha256=DOCUMENT_HASH,
    decided_on=TODAY,
    **N,
)
EXECUTED = case_events.DecisionExecuted(executed_on=TODAY, **S)
NO_PENALTY = case_events.NoPenaltyDecided(reason_code="warning_sufficient", decided_on=TODAY, **N)

CLUE: tuple[CaseEvent, ...] = (opened(),)
HANDLED: tuple[CaseEvent, ...] = (*CLUE, ASSIGNED, REGISTERED)
IN_INVESTIGATION = (*HANDLED, INVESTIGATING)
IN_NOTICE = (*IN_INVESTIGATION, NOTIFIED)
PENALISED = (*IN_NOTICE, FINE)

ORDERED = RectificationOrdered(
    subject_credit_code=ENTERPRISE,
    requirement="停产整改",
    ordered_on=TODAY,
    deadline=LATER,
    **N,
)
