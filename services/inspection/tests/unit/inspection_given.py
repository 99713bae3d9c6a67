"""Given/when/then for the inspection aggregate, and the records and certificates tests share.

``inspection.given(*events).when(command).then(*events)`` or ``.then_raises("message part")``;
``then`` also applies the new events and returns the state they lead to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from ccc_contracts.inspection import AreaCheck, AreaResult, InspectionScheduled, ProductSeen
from inspection.domain import inspections
from inspection.domain.base import DomainError
from inspection.domain.inspection_commands import (
    AREAS,
    CertificateFact,
    InspectionAssigned,
    InspectionCommand,
    InspectionEvent,
    InspectionStarted,
    PatrolRecord,
)

TODAY = date(2026, 5, 4)
ENTERPRISE = "914403001922038216"
OTHER_ENTERPRISE = "91330100MA27XL0Y34"
ID = "INS-2026-0001"
INSPECTOR = "李明"


@dataclass(frozen=True)
class Given:
    state: inspections.Inspection | None

    def when(self, command: InspectionCommand, today: date = TODAY) -> When:
        """The command, decided on ``today``."""
        return When(self, command, today)


@dataclass(frozen=True)
class When:
    given: Given
    command: InspectionCommand
    today: date

    def decided(self) -> list[InspectionEvent]:
        return inspections.decide(self.given.state, self.command, self.today)

    def then(self, *expected: InspectionEvent) -> inspections.Inspection | None:
        """Assert the command produces exactly these events; the state after them."""
        events = self.decided()
        assert events == list(expected)
        state = self.given.state
        for event in events:
            state = inspections.evolve(state, event)
        return state

    def then_events(self, check: Callable[[Sequence[InspectionEvent]], Any]) -> None:
        """Hand the produced events to a check of one's own."""
        check(self.decided())

    def then_raises(self, message: str) -> None:
        """Assert the command is refused with a DomainError whose message contains this."""
        with pytest.raises(DomainError) as error:
            self.decided()
        assert message in str(error.value), str(error.value)


def given(*events: InspectionEvent) -> Given:
    """The history the command meets."""
    return Given(inspections.replay(events))


def scheduled_event(**changes: Any) -> InspectionScheduled:
    fields: dict[str, Any] = {
        "inspection_id": ID,
        "enterprise_credit_code": ENTERPRISE,
        "kind": "patrol",
        "due_on": date(2026, 5, 31),
        "scheduled_on": date(2026, 5, 1),
        "cause": "patrol plan",
    }
    return InspectionScheduled(**(fields | changes))


SCHEDULED = scheduled_event()
ASSIGNED = InspectionAssigned(
    inspection_id=ID,
    department="第一监管所",
    inspector=INSPECTOR,
    assigned_on=date(2026, 5, 2),
)
STARTED = InspectionStarted(inspection_id=ID, started_on=date(2026, 5, 3))


def record(
    *products: ProductSeen,
    results: dict[str, AreaResult] | None = None,
    notes: str = "",
    inspectors: tuple[str, ...] = (INSPECTOR, "王芳"),
) -> PatrolRecord:
    """A record with every area conforming unless ``results`` says otherwise."""
    answers = {area: "conforming" for area in AREAS} | (results or {})
    return PatrolRecord(
        areas=tuple(
            AreaCheck(area=area, result=result, notes=notes)  # type: ignore[arg-type]
            for area, result in answers.items()
        ),
        products_seen=products,
        enterprise_feedback="希望加快证书变更办理",
        industry_problems="小作坊无证生产插头",
        inspectors=inspectors,
    )


def certificate(**changes: Any) -> CertificateFact:
    fields: dict[str, Any] = {
        "number": "2024010201234567",
        "holder_credit_code": ENTERPRISE,
        "product_category": "0701",
        "models": ("KFR-35GW", "KFR-26GW"),
        "status": "valid",
    }
    return CertificateFact(**(fields | changes))


def product(model: str = "KFR-35GW", shown: str | None = "2024010201234567") -> ProductSeen:
    return ProductSeen(product_category="0701", model=model, certificate_number=shown)
