"""Enforcement read models: a case's dates and handling clock; decision numbers unique.

Revision ID: 0003_enforcement_case_law
Revises: 0002_enforcement_guidance
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_enforcement_case_law"
down_revision = "0002_enforcement_guidance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the cases' found day; create the decision-number register."""
    op.add_column("enforcement_cases", sa.Column("found_on", sa.Date))
    op.add_column("enforcement_cases", sa.Column("subject_name", sa.Text))
    op.add_column("enforcement_cases", sa.Column("product", sa.Text))
    op.add_column("enforcement_cases", sa.Column("certificate_number", sa.String(64)))
    op.add_column("enforcement_cases", sa.Column("clock_stopped_for", sa.String(20)))
    op.add_column("enforcement_cases", sa.Column("clock_stopped_on", sa.Date))
    op.add_column(
        "enforcement_cases",
        sa.Column("days_not_counted", sa.Integer, nullable=False, server_default="0"),
    )
    op.add_column("enforcement_cases", sa.Column("violation_on", sa.Date))
    op.create_table(
        "enforcement_decision_numbers",
        sa.Column("decision_document_number", sa.String(200), primary_key=True),
        sa.Column("case_number", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    """Drop what the upgrade added."""
    op.drop_table("enforcement_decision_numbers")
    for column in (
        "violation_on", "days_not_counted", "clock_stopped_on", "clock_stopped_for",
        "certificate_number", "product", "subject_name",
    ):  # fmt: skip
        op.drop_column("enforcement_cases", column)
    op.drop_column("enforcement_cases", "found_on")
