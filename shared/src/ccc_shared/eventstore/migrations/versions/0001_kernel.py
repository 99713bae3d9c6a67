"""Kernel tables: events, stream heads, outbox, subscription checkpoints, processed events.

Revision ID: 0001_kernel
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from ccc_shared.eventstore.schema import PositionType, UTCDateTime

revision = "0001_kernel"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the kernel tables."""
    op.create_table(
        "events",
        sa.Column("position", PositionType, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("aggregate_type", sa.String(64), nullable=False),
        sa.Column("aggregate_id", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("correlation_id", sa.String(36), nullable=False),
        sa.Column("causation_id", sa.String(36), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint(
            "aggregate_type", "aggregate_id", "version", name="uq_events_stream_version"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_correlation_id", "events", ["correlation_id"])
    op.create_table(
        "stream_heads",
        sa.Column("aggregate_type", sa.String(64), primary_key=True),
        sa.Column("aggregate_id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outbox",
        sa.Column("id", PositionType, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "subscription_checkpoints",
        sa.Column("consumer", sa.String(128), primary_key=True),
        sa.Column("stream_sequence", sa.BigInteger, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(128), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop the kernel tables."""
    for table in ("processed_events", "subscription_checkpoints", "outbox", "stream_heads"):
        op.drop_table(table)
    op.drop_table("events")
