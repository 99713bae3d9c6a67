"""Given/when/then for the inspection aggregate (``ccc_shared.testing.given``), and the records
and certificates tests share: ``given(*events).when(command).then(*events)``."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_shared.contracts.inspection import AreaCheck, AreaResult, InspectionScheduled, ProductSeen
from ccc_shared.testing.given import Behaviour
from inspection.domain import inspections
from inspection.domain.inspection_commands import AREAS, CertificateFact, PatrolRecord
from inspection.domain.inspection_events import InspectionAssigned, InspectionStarted

TODAY = date(2026, 5, 4)
ENTERPRISE = "914403001922038216"
OTHER_ENTERPRISE = "91330100MA27XL0Y34"
ID = "INS-2026-0001"
INSPECTOR = "李明"


inspection = Behaviour(inspections.decide, inspections.evolve, TODAY)
given = inspection.given  # the history the command meets


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
