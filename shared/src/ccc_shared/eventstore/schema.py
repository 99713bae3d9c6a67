"""Tables of the kernel: events, stream heads, outbox, subscription checkpoints.

The migrations in ``migrations/`` create exactly these; a test compares the two.

``tx`` is the commit-order key of PostgreSQL (see ``sql``'s module docstring): the writing
transaction's id, or a later one taken from the stream's head; always 0 on SQLite, whose
single writer makes the position order the commit order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

metadata = MetaData()

PositionType = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A tz-aware UTC timestamp on both stores (SQLite keeps no zone, so UTC is implied)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be tz-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


events = Table(
    "events",
    metadata,
    Column("position", PositionType, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("event_type", String(100), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("aggregate_id", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("correlation_id", String(36), nullable=False),
    Column("causation_id", String(36), nullable=True),
    Column("source", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("tx", BigInteger, nullable=False, server_default=text("0")),
    UniqueConstraint("aggregate_type", "aggregate_id", "version", name="uq_events_stream_version"),
    Index("ix_events_correlation_id", "correlation_id"),
    sqlite_autoincrement=True,
)
# the read-all order of PostgreSQL; SQLite reads by position alone
Index("ix_events_tx_position", events.c.tx, events.c.position).ddl_if(dialect="postgresql")

stream_heads = Table(
    "stream_heads",
    metadata,
    Column("aggregate_type", String(64), primary_key=True),
    Column("aggregate_id", String(128), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("tx", BigInteger, nullable=False, server_default=text("0")),
    sqlite_with_rowid=False,
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", PositionType, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("tx", BigInteger, nullable=False, server_default=text("0")),
    sqlite_autoincrement=True,
)
Index("ix_outbox_tx_id", outbox.c.tx, outbox.c.id).ddl_if(dialect="postgresql")

subscription_checkpoints = Table(
    "subscription_checkpoints",
    metadata,
    Column("consumer", String(128), primary_key=True),
    Column("stream_sequence", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(128), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("processed_at", UTCDateTime, nullable=False),
)
