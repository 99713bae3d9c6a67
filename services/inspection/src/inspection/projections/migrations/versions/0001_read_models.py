"""Inspection read models: inspections and the local copy of the registry's certificates.

Revision ID: 0001_inspection_read_models
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_inspection_read_models"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the read-model tables."""
    op.create_table(
        "inspection_inspections",
        sa.Column("inspection_id", sa.String(128), primary_key=True),
        sa.Column("enterprise_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("scheduled_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False, index=True),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("certification_body", sa.String(200)),
        sa.Column("department", sa.Text),
        sa.Column("inspector", sa.Text),
        sa.Column("started_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("cancel_reason", sa.Text),
        sa.Column("violations", sa.Integer, nullable=False),
        sa.Column("minor_findings", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "inspection_certificates",
        sa.Column("number", sa.String(128), primary_key=True),
        sa.Column("holder_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("product_category", sa.String(100), nullable=False),
        sa.Column("models", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    """Drop the read-model tables."""
    op.drop_table("inspection_certificates")
    op.drop_table("inspection_inspections")
