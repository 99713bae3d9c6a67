"""Writers of the enterprise and certificate read models: one row per aggregate, its latest state.

Called inside the transaction that appended the events, so the row and the events commit
together; the row is the state ``evolve`` gives, so a rebuild from events gives the same rows.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert

from ccc_shared.eventstore.migrate import upgrade
from enterprise_registry.domain.certificates import Certificate
from enterprise_registry.domain.enterprises import Enterprise
from enterprise_registry.projections.tables import certificates, enterprise_categories, enterprises

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "registry_alembic_version"


def migrate(engine: Engine) -> None:
    """Create or upgrade the registry's read-model tables (its own alembic version table)."""
    upgrade(engine, MIGRATIONS, VERSION_TABLE)


def save_enterprise(state: Enterprise, version: int, conn: Connection) -> None:
    """Replace the enterprise's row and its product categories with its latest state."""
    code = state.credit_code
    conn.execute(delete(enterprises).where(enterprises.c.credit_code == code))
    conn.execute(delete(enterprise_categories).where(enterprise_categories.c.credit_code == code))
    row = state.model_dump(include={column.name for column in enterprises.columns} - {"version"})
    conn.execute(insert(enterprises).values(**row, version=version))
    if state.product_categories:
        conn.execute(
            insert(enterprise_categories),
            [{"credit_code": code, "product_category": c} for c in set(state.product_categories)],
        )


def save_certificate(state: Certificate, version: int, conn: Connection) -> None:
    """Replace the certificate's row with its latest state."""
    conn.execute(delete(certificates).where(certificates.c.number == state.number))
    row = state.model_dump(
        include={column.name for column in certificates.columns} - {"version", "models"}
    )
    models = json.dumps(list(state.models), ensure_ascii=False)
    conn.execute(insert(certificates).values(**row, models=models, version=version))
