"""Registry read models: certification bodies, findings about their work, their ratings.

Revision ID: 0002_certification_bodies
Revises: 0001_registry_read_models
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_certification_bodies"
down_revision = "0001_registry_read_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the certification-body tables."""
    op.create_table(
        "registry_certification_bodies",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("accreditation_number", sa.String(100), nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("rating", sa.String(20)),
        sa.Column("rating_period", sa.String(10)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "registry_body_findings",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("finding_id", sa.String(64), primary_key=True),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
    )
    op.create_table(
        "registry_body_ratings",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("rating", sa.String(20), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("rated_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    """Drop the certification-body tables."""
    for table in (
        "registry_body_ratings",
        "registry_body_findings",
        "registry_certification_bodies",
    ):
        op.drop_table(table)
