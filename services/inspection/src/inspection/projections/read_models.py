"""Writers of the inspection read models, called in the transaction that appended or consumed.

The inspection, campaign and trace rows are the states ``evolve`` gives; each violation an
inspection found keeps the case enforcement's ``CaseOpened`` names for it; the enterprise and
certificate rows follow the registry's contract events, so the findings check and the patrol
plan read the register as this service last heard it.
"""

from __future__ import annotations

import json
from pathlib import Path

import structlog
from sqlalchemy import Connection, Engine

from ccc_contracts.base import EventData
from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateChange,
    CertificateExpired,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
    EnterpriseClassified,
    EnterpriseProfileUpdated,
    EnterpriseRegistered,
)
from ccc_shared.eventstore.migrate import upgrade
from ccc_shared.readmodels import (
    delete_rows,
    find_row,
    find_value,
    insert_rows,
    replace_row,
    update_row,
    upsert_row,
)
from inspection.domain.campaigns import Campaign
from inspection.domain.inspections import Inspection
from inspection.domain.traceability import Trace
from inspection.projections.tables import (
    campaign_enterprises,
    campaigns,
    certificates,
    enterprises,
    inspections,
    traces,
    violations,
)

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "inspection_alembic_version"

log = structlog.get_logger(__name__)

STATUS_AFTER: dict[type[EventData], str] = {
    CertificateSuspended: "suspended",
    CertificateReinstated: "valid",
    CertificateCancelled: "cancelled",
    CertificateRevoked: "revoked",
    CertificateExpired: "expired",
}


def migrate(engine: Engine) -> None:
    """Create or upgrade the inspection read-model tables (its own alembic version table)."""
    upgrade(engine, MIGRATIONS, VERSION_TABLE)


def save_inspection(state: Inspection, version: int, conn: Connection) -> None:
    """Replace the inspection's row with its latest state."""
    row = state.model_dump(exclude={"violations", "minor_findings", "inspector_id"})
    counts = {"violations": len(state.violations), "minor_findings": len(state.minor_findings)}
    replace_row(conn, inspections, "inspection_id", row | counts | {"version": version})
    for violation_id in state.violations:  # the case a violation led to is kept
        key = {"violation_id": violation_id, "inspection_id": state.inspection_id}
        upsert_row(conn, violations, "violation_id", key)


def record_case_of_violation(violation_id: str, case_number: str, conn: Connection) -> None:
    """Name the case opened for a violation this service found (another violation is ignored).

    Enforcement opens one case per violation, so a violation keeps the first case heard of.
    """
    key = {"violation_id": violation_id}
    known = find_row(conn, violations, "violation_id", key, ("case_number",))
    if known is None:
        return  # not found by an inspection of this service
    if known["case_number"] not in (None, case_number):
        log.warning("violation already has its case", violation_id=violation_id,
                    case_number=known["case_number"], ignored=case_number)  # fmt: skip
        return
    update_row(conn, violations, "violation_id", key, {"case_number": case_number})


def apply_certificate_event(data: EventData, conn: Connection) -> None:
    """Bring the local certificate row up to date with one registry event (others are ignored)."""
    match data:
        case CertificateRegistered():
            # a registration delivered again keeps the status heard since (a suspension stays)
            key = {"number": data.certificate_number}
            known = find_value(conn, certificates, "status", "number", key)
            replace_row(conn, certificates, "number", key | {
                "holder_credit_code": data.holder_credit_code,
                "product_category": data.product_category,
                "models": json.dumps(data.models, ensure_ascii=False),
                "status": known or "valid", "expires_on": data.expires_on,
            })  # fmt: skip
        case CertificateRenewed():
            change(conn, data.certificate_number, expires_on=data.expires_on, status="valid")
        case CertificateScopeChanged():
            change(
                conn, data.certificate_number, models=json.dumps(data.models, ensure_ascii=False)
            )
        case CertificateChange() if type(data) in STATUS_AFTER:
            change(conn, data.certificate_number, status=STATUS_AFTER[type(data)])


def change(conn: Connection, number: str, **values: object) -> None:
    """Update a known certificate's row (a change to an unknown one is ignored)."""
    update_row(conn, certificates, "number", {"number": number}, values)


def as_json(values: object) -> str:
    """A list as the read models store it (Chinese kept as text)."""
    return json.dumps(values, ensure_ascii=False)


def apply_enterprise_event(data: EventData, conn: Connection) -> None:
    """Bring the local enterprise row up to date with one registry event (others are ignored)."""
    match data:
        case EnterpriseRegistered():
            # a registration delivered again keeps the class heard since (it is not a reset)
            key = {"credit_code": data.credit_code}
            known = find_value(conn, enterprises, "supervision_class", "credit_code", key)
            replace_row(conn, enterprises, "credit_code", key | {
                "name": data.name, "region": data.region,
                "in_jurisdiction": data.in_jurisdiction, "key_enterprise": data.key_enterprise,
                "product_categories": as_json(data.product_categories),
                "supervision_class": known,
            })  # fmt: skip
        case EnterpriseProfileUpdated():
            fields = ("name", "region", "in_jurisdiction", "key_enterprise")
            changed: dict[str, object] = {
                name: getattr(data, name) for name in fields if getattr(data, name) is not None
            }
            if data.product_categories is not None:
                changed["product_categories"] = as_json(data.product_categories)
            key = {"credit_code": data.credit_code}
            update_row(conn, enterprises, "credit_code", key, changed)
        case EnterpriseClassified():
            key = {"credit_code": data.credit_code}
            update_row(conn, enterprises, "credit_code", key, {"supervision_class": data.new_class})


def save_campaign(state: Campaign, version: int, conn: Connection) -> None:
    """Replace the campaign's rows (the campaign and each enterprise in it) with its state."""
    replace_row(conn, campaigns, "campaign_id", {
        "campaign_id": state.campaign_id, "title": state.title,
        "product_categories": as_json(list(state.product_categories)),
        "regions": as_json(list(state.regions)), "deadline": state.deadline,
        "launched_on": state.launched_on, "version": version,
    })  # fmt: skip
    delete_rows(conn, campaign_enterprises, "campaign_id", campaign_id=state.campaign_id)
    rows = [
        {
            "campaign_id": state.campaign_id,
            "credit_code": member.credit_code,
            "product_categories": as_json(list(member.product_categories)),
            "certified_categories": as_json(list(member.certified_categories)),
            "surveyed_on": member.steps.get("surveyed"),
            "informed_on": member.steps.get("informed"),
            "applied_on": member.steps.get("applied"),
            "certified_on": None if member.uncertified else member.steps.get("certified"),
            "stopped_production_on": member.steps.get("stopped_production"),
            "violation_id": member.violation_id,
        }
        for member in state.participants
    ]
    insert_rows(conn, campaign_enterprises, rows)


def save_trace(state: Trace, version: int, conn: Connection) -> None:
    """Replace the trace's row with its latest state."""
    replace_row(conn, traces, "trace_id", state.model_dump())
