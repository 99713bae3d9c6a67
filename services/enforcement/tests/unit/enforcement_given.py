"""Given/when/then for the enforcement case: given these events, when this command, then these.

``case.given(*events).when(command).then(*events)`` or ``.then_raises("message part")``;
``then`` also applies the new events and returns the state they lead to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from ccc_shared.contracts.enforcement import CaseOpened
from enforcement.domain import cases
from enforcement.domain.base import DomainError
from enforcement.domain.calendar import CHINA_2025
from enforcement.domain.case_commands import CaseCommand
from enforcement.domain.case_events import CaseEvent
from enforcement.domain.case_state import Case, evolve

TODAY = date(2025, 3, 3)  # a Monday
NUMBER = "CCC-2025-00001"
ENTERPRISE = "914403001922038216"
DOCUMENT_HASH = "ab" * 32


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
        return cases.decide(self.state, self.command, self.today, CHINA_2025)

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
        "opened_on": TODAY,
        "register_decision_due_on": date(2025, 3, 24),
    }
    return CaseOpened(**(fields | changes))
