"""Given/when/then for the enforcement case: given these events, when this command, then these.

``case.given(*events).when(command).then(*events)`` or ``.then_raises("message part")``;
``then`` also applies the new events and returns the state they lead to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from ccc_contracts.enforcement import CaseOpened, PenaltyDecided, RectificationOrdered
from enforcement.domain import case_events as e
from enforcement.domain import cases
from enforcement.domain.base import DomainError
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


@dataclass(frozen=True)
class Given:
    state: Case | None

    def when(self, command: CaseCommand, today: date = TODAY) -> When:
        """The command, decided on ``today``."""
        return When(self.state, command, today)


@dataclass(frozen=True)
class When:
    state: Case | None
    command: CaseCommand
    today: date

    def decided(self) -> list[CaseEvent]:
        return cases.decide(self.state, self.command, self.today, CHINA)

    def then(self, *expected: CaseEvent) -> Case:
        """Assert the command produces exactly these events; the state after them."""
        events = self.decided()
        assert events == list(expected)
        state = self.state
        for event in events:
            state = evolve(state, event)
        assert state is not None
        return state

    def then_raises(self, message: str) -> None:
        """Assert the command is refused with a DomainError whose message contains this."""
        with pytest.raises(DomainError) as error:
            self.decided()
        assert message in str(error.value), str(error.value)


def given(*events: CaseEvent) -> Given:
    """The history the command meets."""
    state: Case | None = None
    for event in events:
        state = evolve(state, event)
    return Given(state)


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
ASSIGNED = e.CaseAssigned(department="稽查科", officer="王芳", assigned_on=TODAY, **S)
REGISTERED = e.CaseRegistered(registered_on=TODAY, decision_due_on=date(2025, 6, 1), **S)
INVESTIGATING = e.InvestigationStarted(started_on=TODAY, **S)
NOTIFIED = e.PartyNotified(notified_on=TODAY, intended="fine 80,000 RMB", **S)
FINE = PenaltyDecided(
    subject_credit_code=ENTERPRISE,
    basis_article="Order 117 art 49",
    penalty_type="fine",
    amount=80_000,
    decision_document_number="X市监罚〔2025〕1号",
    decision_document_sha256=DOCUMENT_HASH,
    decided_on=TODAY,
    **N,
)
EXECUTED = e.DecisionExecuted(executed_on=TODAY, **S)
NO_PENALTY = e.NoPenaltyDecided(reason_code="warning_sufficient", decided_on=TODAY, **N)

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
