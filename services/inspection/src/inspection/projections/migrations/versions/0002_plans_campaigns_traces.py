"""Patrol plans, campaigns and traces: local enterprises, campaigns, traces, the case checked.

Revision ID: 0002_plans_campaigns_traces
Revises: 0001_inspection_read_models
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_plans_campaigns_traces"
down_revision = "0001_inspection_read_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the case a rectification check verifies, and the new read-model tables."""
    with op.batch_alter_table("inspection_inspections") as batch:
        batch.add_column(sa.Column("case_number", sa.String(128)))
    op.create_table(
        "inspection_enterprises",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("in_jurisdiction", sa.Boolean, nullable=False),
        sa.Column("key_enterprise", sa.Boolean, nullable=False),
        sa.Column("product_categories", sa.Text, nullable=False),
        sa.Column("supervision_class", sa.String(1)),
    )
    op.create_table(
        "inspection_campaigns",
        sa.Column("campaign_id", sa.String(128), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("product_categories", sa.Text, nullable=False),
        sa.Column("regions", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("launched_on", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "inspection_campaign_enterprises",
        sa.Column("campaign_id", sa.String(128), primary_key=True),
        sa.Column("credit_code", sa.String(18), primary_key=True, index=True),
        sa.Column("product_categories", sa.Text, nullable=False),
        sa.Column("certified_categories", sa.Text, nullable=False),
        sa.Column("surveyed_on", sa.Date),
        sa.Column("informed_on", sa.Date),
        sa.Column("applied_on", sa.Date),
        sa.Column("certified_on", sa.Date),
        sa.Column("stopped_production_on", sa.Date),
        sa.Column("violation_id", sa.String(160)),
    )
    op.create_table(
        "inspection_traces",
        sa.Column("trace_id", sa.String(128), primary_key=True),
        sa.Column("found_at", sa.Text, nullable=False),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("product_category", sa.String(100), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("problem", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("manufacturer_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("manufacturer_jurisdiction", sa.String(6), nullable=False),
        sa.Column("outside_jurisdiction", sa.Boolean, nullable=False),
        sa.Column("manufacturer_inspection_id", sa.String(128)),
        sa.Column("violation_id", sa.String(160)),
    )


def downgrade() -> None:
    """Drop the new tables and the case column."""
    for table in (
        "inspection_traces",
        "inspection_campaign_enterprises",
        "inspection_campaigns",
        "inspection_enterprises",
    ):
        op.drop_table(table)
    with op.batch_alter_table("inspection_inspections") as batch:
        batch.drop_column("case_number")
