"""Enforcement read models: the guidance records of minor findings.

Revision ID: 0002_enforcement_guidance
Revises: 0001_enforcement_read_models
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_enforcement_guidance"
down_revision = "0001_enforcement_read_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the guidance table."""
    op.create_table(
        "enforcement_guidance",
        sa.Column("guidance_id", sa.String(40), primary_key=True),
        sa.Column("finding_id", sa.String(200), nullable=False, unique=True),
        sa.Column("inspection_id", sa.String(128), nullable=False),
        sa.Column("subject_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("area", sa.String(30)),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("given_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    """Drop the guidance table."""
    op.drop_table("enforcement_guidance")
