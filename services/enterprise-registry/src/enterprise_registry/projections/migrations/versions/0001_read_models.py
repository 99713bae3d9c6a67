"""Registry read models: enterprises and their categories, certificates, dossier entries.

Revision ID: 0001_registry_read_models
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_registry_read_models"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the read-model tables."""
    op.create_table(
        "registry_enterprises",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("region", sa.String(200), nullable=False, index=True),
        sa.Column("scale", sa.String(20), nullable=False),
        sa.Column("legal_representative", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("in_jurisdiction", sa.Boolean, nullable=False),
        sa.Column("key_enterprise", sa.Boolean, nullable=False),
        sa.Column("custodian_id", sa.String(128)),
        sa.Column("supervision_class", sa.String(1), index=True),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "registry_enterprise_categories",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("product_category", sa.String(100), primary_key=True, index=True),
    )
    op.create_table(
        "registry_certificates",
        sa.Column("number", sa.String(128), primary_key=True),
        sa.Column("holder_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("manufacturer", sa.Text, nullable=False),
        sa.Column("factory", sa.Text, nullable=False),
        sa.Column("product_category", sa.String(100), nullable=False),
        sa.Column("models", sa.Text, nullable=False),
        sa.Column("certification_body", sa.String(200), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("status_since", sa.Date, nullable=False),
        sa.Column("status_article", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "registry_dossier_entries",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("aggregate_type", sa.String(64), nullable=False),
        sa.Column("aggregate_id", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    """Drop the read-model tables."""
    for table in (
        "registry_dossier_entries",
        "registry_certificates",
        "registry_enterprise_categories",
        "registry_enterprises",
    ):
        op.drop_table(table)
