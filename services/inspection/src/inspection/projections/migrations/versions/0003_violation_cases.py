"""The violations an inspection found, each with the case enforcement opened for it.

Revision ID: 0003_violation_cases
Revises: 0002_plans_campaigns_traces
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_violation_cases"
down_revision = "0002_plans_campaigns_traces"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the violations table, filled for inspections completed before it (ids V1..Vn)."""
    table = op.create_table(
        "inspection_violations",
        sa.Column("violation_id", sa.String(160), primary_key=True),
        sa.Column("inspection_id", sa.String(128), nullable=False, index=True),
        sa.Column("case_number", sa.String(128)),
    )
    inspections = sa.table(
        "inspection_inspections", sa.column("inspection_id"), sa.column("violations")
    )
    found = op.get_bind().execute(
        sa.select(inspections.c.inspection_id, inspections.c.violations).where(
            inspections.c.violations > 0
        )
    )
    # an inspection's violations are numbered V1..Vn in record order (domain/findings.py)
    rows = [
        {"violation_id": f"{inspection_id}/V{number}", "inspection_id": inspection_id}
        for inspection_id, count in found
        for number in range(1, count + 1)
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    """Drop the violations table."""
    op.drop_table("inspection_violations")
