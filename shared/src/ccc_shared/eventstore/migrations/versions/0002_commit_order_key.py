"""The commit-order key ``tx`` on events, stream heads and the outbox (PostgreSQL without a lock).

Appends on PostgreSQL no longer take a store-wide advisory lock; readers order by
``(tx, position)`` and read only below the oldest transaction still running (see
``ccc_shared.eventstore.sql``). Rows written before this revision were serialised by that
lock, so their position order is their commit order: they keep ``tx = 0`` and come first.
On PostgreSQL the column's default is the inserting transaction's id, so a writer still on
the old code (a rolling upgrade) stamps a key that readers order correctly.

Revision ID: 0002_commit_order_key
Revises: 0001_kernel
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_commit_order_key"
down_revision = "0001_kernel"
branch_labels = None
depends_on = None

CURRENT_XACT = "pg_current_xact_id()::text::bigint"


def upgrade() -> None:
    """Add ``tx`` (0 for what is stored), its indexes and, on PostgreSQL, its default."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in ("events", "stream_heads", "outbox"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("tx", sa.BigInteger, nullable=False, server_default=sa.text("0"))
            )
    if postgres:
        for table in ("events", "outbox"):
            op.execute(f"ALTER TABLE {table} ALTER COLUMN tx SET DEFAULT {CURRENT_XACT}")
        # an outbox row now takes its event's position as id; an old writer's row draws from
        # the same sequence (ids already stored are below every position still to come)
        op.execute(
            "ALTER TABLE outbox ALTER COLUMN id SET DEFAULT"
            " nextval(pg_get_serial_sequence('events', 'position'))"
        )
        op.create_index("ix_events_tx_position", "events", ["tx", "position"])
        op.create_index("ix_outbox_tx_id", "outbox", ["tx", "id"])


def downgrade() -> None:
    """Drop ``tx`` and its indexes."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_outbox_tx_id", "outbox")
        op.drop_index("ix_events_tx_position", "events")
        op.execute(
            "SELECT setval(pg_get_serial_sequence('outbox', 'id'),"
            " nextval(pg_get_serial_sequence('events', 'position')))"
        )
        op.execute(
            "ALTER TABLE outbox ALTER COLUMN id SET DEFAULT"
            " nextval(pg_get_serial_sequence('outbox', 'id'))"
        )
    for table in ("outbox", "stream_heads", "events"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("tx")
