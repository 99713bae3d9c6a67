"""Writers of the enterprise and certificate read models: one row per aggregate, its latest state.

Called inside the transaction that appended the events, so the row and the events commit
together; the row is the state ``evolve`` gives, so a rebuild from events gives the same rows.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, Engine

from ccc_shared.eventstore.migrate import upgrade
from ccc_shared.readmodels import delete_rows, insert_rows, replace_row
from enterprise_registry.domain.certificates import Certificate
from enterprise_registry.domain.enterprises import Enterprise
from enterprise_registry.projections.tables import certificates, enterprise_categories, enterprises

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "registry_alembic_version"
ENTERPRISE_FIELDS = {column.name for column in enterprises.columns} - {"version"}
CERTIFICATE_FIELDS = {column.name for column in certificates.columns} - {"version", "models"}


def migrate(engine: Engine) -> None:
    """Create or upgrade the registry's read-model tables (its own alembic version table)."""
    upgrade(engine, MIGRATIONS, VERSION_TABLE)


def save_enterprise(state: Enterprise, version: int, conn: Connection) -> None:
    """Replace the enterprise's row and its product categories with its latest state."""
    code = state.credit_code
    row = state.model_dump(include=ENTERPRISE_FIELDS)
    replace_row(conn, enterprises, "credit_code", row | {"version": version})
    delete_rows(conn, enterprise_categories, "credit_code", credit_code=code)
    insert_rows(
        conn,
        enterprise_categories,
        [{"credit_code": code, "product_category": c} for c in set(state.product_categories)],
    )


def save_certificate(state: Certificate, version: int, conn: Connection) -> None:
    """Replace the certificate's row with its latest state."""
    row = state.model_dump(include=CERTIFICATE_FIELDS)
    models = json.dumps(list(state.models), ensure_ascii=False)
    replace_row(conn, certificates, "number", row | {"models": models, "version": version})
