"""The violations read model on a database from before it: inspections completed earlier list
their violations (numbered V1..Vn in record order) once the service upgrades."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from ccc_shared.eventstore.engine import make_engine
from ccc_shared.eventstore.migrate import upgrade
from inspection.projections.read_models import MIGRATIONS, VERSION_TABLE
from inspection.projections.tables import inspections, violations

pytestmark = pytest.mark.integration


def inspection_row(inspection_id: str, found: int) -> dict[str, object]:
    """A completed patrol's read-model row that found ``found`` violations."""
    return {
        "inspection_id": inspection_id, "enterprise_credit_code": "91330100MA27XYZ12K",
        "kind": "patrol", "status": "completed", "scheduled_on": date(2026, 5, 4),
        "due_on": date(2026, 5, 11), "cause": "", "violations": found, "minor_findings": 0,
        "version": 4,
    }  # fmt: skip


def test_inspections_completed_before_the_upgrade_list_their_violations(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, MIGRATIONS, VERSION_TABLE, "0002_plans_campaigns_traces")
        with engine.begin() as conn:
            conn.execute(
                insert(inspections), [inspection_row("INS-A", 2), inspection_row("INS-B", 0)]
            )

        upgrade(engine, MIGRATIONS, VERSION_TABLE)

        query = select(violations).order_by(violations.c.violation_id)
        with engine.connect() as conn:
            rows = [tuple(row) for row in conn.execute(query)]
        assert rows == [("INS-A/V1", "INS-A", None), ("INS-A/V2", "INS-A", None)]
    finally:
        engine.dispose()
