"""Writers of the inspection read models, called in the transaction that appended or consumed.

The inspection row is the state ``evolve`` gives; the certificate rows follow the registry's
contract events, so the findings check reads the register as this service last heard it.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, update

from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.registry import (
    CertificateCancelled,
    CertificateChange,
    CertificateExpired,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
)
from ccc_shared.eventstore.migrate import upgrade
from inspection.domain.inspections import Inspection
from inspection.projections.tables import certificates, inspections

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "inspection_alembic_version"

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
    conn.execute(delete(inspections).where(inspections.c.inspection_id == state.inspection_id))
    row = state.model_dump(exclude={"violations", "minor_findings"})
    counts = {"violations": len(state.violations), "minor_findings": len(state.minor_findings)}
    conn.execute(insert(inspections).values(**row, **counts, version=version))


def apply_certificate_event(data: EventData, conn: Connection) -> None:
    """Bring the local certificate row up to date with one registry event (others are ignored)."""
    match data:
        case CertificateRegistered():
            conn.execute(
                delete(certificates).where(certificates.c.number == data.certificate_number)
            )
            conn.execute(
                insert(certificates).values(
                    number=data.certificate_number,
                    holder_credit_code=data.holder_credit_code,
                    product_category=data.product_category,
                    models=json.dumps(data.models, ensure_ascii=False),
                    status="valid",
                    expires_on=data.expires_on,
                )
            )
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
    conn.execute(update(certificates).where(certificates.c.number == number).values(**values))
