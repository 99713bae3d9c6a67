"""The SQL event store: append with an expected version, load streams, read all in commit order.

One implementation for SQLite and PostgreSQL. Appends are serialised (SQLite's BEGIN
IMMEDIATE, a PostgreSQL transaction-scoped advisory lock) so that positions are assigned in
commit order: a reader that has seen position N will never later find a smaller one appear.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, text, update

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.eventstore.engine import READ_ONLY, make_engine
from ccc_shared.eventstore.envelope import (
    Actor,
    EventMetadata,
    RecordedEvent,
    StreamId,
    new_event_id,
    utcnow,
)
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.eventstore.hashing import GENESIS, event_hash
from ccc_shared.eventstore.schema import events, outbox, stream_heads
from ccc_shared.eventstore.verify import TamperFinding, verify_store

APPEND_LOCK_KEY = 0x0CCC_0001  # pg_advisory_xact_lock key serialising appends
APPENDED = "ccc_appended"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An event waiting to be published: its position, id, subject and wire body."""

    position: int
    event_id: str
    subject: str
    body: bytes


class SqlEventStore:
    """Event store on SQLAlchemy Core; same behaviour on SQLite and PostgreSQL."""

    def __init__(self, url: str, *, registry: EventRegistry, source: str, context: str) -> None:
        self.engine = make_engine(url)
        self.registry = registry
        self.source = source
        self.context = context
        self._listeners: list[Callable[[], None]] = []
        self._actors: dict[str, Actor] = {}
        self._is_postgres = self.engine.dialect.name == "postgresql"
        self._head = select(stream_heads.c.version, stream_heads.c.hash).where(
            stream_heads.c.aggregate_type == bindparam("t"),
            stream_heads.c.aggregate_id == bindparam("i"),
        )
        self._insert = insert(events).returning(events.c.position, sort_by_parameter_order=True)
        self._insert_head = insert(stream_heads)
        self._insert_outbox = insert(outbox)
        self._update_head = (
            update(stream_heads)
            .where(
                stream_heads.c.aggregate_type == bindparam("t"),
                stream_heads.c.aggregate_id == bindparam("i"),
                stream_heads.c.version == bindparam("expected"),
            )
            .values(
                version=bindparam("version"),
                hash=bindparam("hash"),
                position=bindparam("position"),
                updated_at=bindparam("updated_at"),
            )
        )
        self._read_all = (
            select(events)
            .where(events.c.position > bindparam("after"))
            .order_by(events.c.position)
            .limit(bindparam("limit"))
        )
        self._outbox = (
            select(events)
            .join(outbox, outbox.c.position == events.c.position)
            .order_by(outbox.c.position)
            .limit(bindparam("limit"))
        )
        self._unpublish = delete(outbox).where(
            outbox.c.position.in_(bindparam("positions", expanding=True))
        )

    # -- lifecycle -------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create or upgrade the kernel tables in place (alembic)."""
        from ccc_shared.eventstore.migrate import upgrade

        upgrade(self.engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each commit that appended events (e.g. to wake the relay)."""
        self._listeners.append(listener)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; appends inside it commit or roll back together."""
        with self.engine.begin() as conn:
            yield conn
            appended = conn.info.pop(APPENDED, False)
        if appended:
            for listener in self._listeners:
                listener()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction (never blocks writers)."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
            yield conn

    # -- writing ---------------------------------------------------------------------------
    def append(
        self,
        stream: StreamId,
        new_events: Sequence[EventData],
        expected_version: int,
        metadata: EventMetadata,
        *,
        conn: Connection | None = None,
    ) -> list[RecordedEvent]:
        """Append after ``expected_version`` (0: a new stream), or raise and write nothing."""
        if conn is None:
            with self.transaction() as own:
                return self.append(stream, new_events, expected_version, metadata, conn=own)
        stream.check()
        if not new_events:
            return []
        if self._is_postgres:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
        head = conn.execute(
            self._head, {"t": stream.aggregate_type, "i": stream.aggregate_id}
        ).first()
        actual_version, prev_hash = (head.version, head.hash) if head else (0, GENESIS)
        if actual_version != expected_version:
            raise ConcurrencyError(stream, expected_version, actual_version)
        rows = self._rows(stream, new_events, actual_version, prev_hash, metadata)
        positions = [row.position for row in conn.execute(self._insert, rows)]
        last = rows[-1]
        head_values = {
            "version": last["version"],
            "hash": last["hash"],
            "position": positions[-1],
            "updated_at": last["recorded_at"],
        }
        if head is None:
            conn.execute(
                self._insert_head,
                {
                    **head_values,
                    "aggregate_type": stream.aggregate_type,
                    "aggregate_id": stream.aggregate_id,
                },
            )
        else:
            result = conn.execute(
                self._update_head,
                {
                    **head_values,
                    "t": stream.aggregate_type,
                    "i": stream.aggregate_id,
                    "expected": expected_version,
                },
            )
            if result.rowcount != 1:  # pragma: no cover - the lock makes this unreachable
                raise ConcurrencyError(stream, expected_version, -1)
        conn.execute(self._insert_outbox, [{"position": position} for position in positions])
        conn.info[APPENDED] = True
        return [
            self._event(row, data, position)
            for row, data, position in zip(rows, new_events, positions, strict=True)
        ]

    def _rows(
        self,
        stream: StreamId,
        new_events: Sequence[EventData],
        version: int,
        prev_hash: str,
        metadata: EventMetadata,
    ) -> list[dict[str, Any]]:
        recorded_at = utcnow()
        occurred_at = metadata.occurred_at.astimezone(UTC)
        actor = metadata.actor.model_dump_json()
        correlation_id = str(metadata.correlation_id)
        causation_id = str(metadata.causation_id) if metadata.causation_id else None
        rows: list[dict[str, Any]] = []
        for data in new_events:
            version += 1
            row: dict[str, Any] = {
                "event_id": str(new_event_id()),
                "event_type": data.event_type,
                "schema_version": data.schema_version,
                "aggregate_type": stream.aggregate_type,
                "aggregate_id": stream.aggregate_id,
                "occurred_at": occurred_at,
                "recorded_at": recorded_at,
                "actor": actor,
                "correlation_id": correlation_id,
                "causation_id": causation_id,
                "source": self.source,
                "data": data.model_dump_json(),
            }
            row["hash"] = event_hash(prev_hash, **row)
            row["prev_hash"], row["version"] = prev_hash, version
            prev_hash = row["hash"]
            rows.append(row)
        return rows

    # -- reading ---------------------------------------------------------------------------
    def stream_version(self, stream: StreamId) -> int:
        """The stream's current version (0 if it has no events)."""
        with self.reading() as conn:
            head = conn.execute(
                self._head, {"t": stream.aggregate_type, "i": stream.aggregate_id}
            ).first()
        return head.version if head else 0

    def load(
        self, stream: StreamId, *, up_to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        """One stream in order: whole, up to a version, or as recorded by a point in time."""
        query = (
            select(events)
            .where(
                events.c.aggregate_type == stream.aggregate_type,
                events.c.aggregate_id == stream.aggregate_id,
            )
            .order_by(events.c.version)
        )
        if up_to_version is not None:
            query = query.where(events.c.version <= up_to_version)
        if as_of is not None:
            query = query.where(events.c.recorded_at <= as_of)
        with self.reading() as conn:
            return [self.decode(row) for row in conn.execute(query)]

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Events after a position, in commit order, decoded to their newest schema."""
        with self.reading() as conn:
            rows = conn.execute(self._read_all, {"after": after_position, "limit": limit})
            return [self.decode(row) for row in rows]

    def iter_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[RecordedEvent]:
        """Every event after a position, in commit order, fetched a batch at a time."""
        while batch := self.read_all(after_position, batch_size):
            yield from batch
            after_position = batch[-1].position or after_position

    def decode(self, row: Row[Any]) -> RecordedEvent:
        """A stored row as a typed event (payload upcast to its newest schema)."""
        data = self.registry.decode(row.event_type, row.schema_version, row.data)
        return self._event(row._mapping, data, position=row.position)

    def _event(self, row: Any, data: EventData, position: int | None = None) -> RecordedEvent:
        actor = self._actors.get(row["actor"])
        if actor is None:
            actor = self._actors.setdefault(row["actor"], Actor.model_validate_json(row["actor"]))
        # model_validate of plain values runs in pydantic-core: ~4x faster than model_construct
        return RecordedEvent.model_validate(
            {
                "event_id": row["event_id"],
                "event_type": row["event_type"],
                "schema_version": data.schema_version,
                "aggregate_type": row["aggregate_type"],
                "aggregate_id": row["aggregate_id"],
                "version": row["version"],
                "occurred_at": row["occurred_at"],
                "recorded_at": row["recorded_at"],
                "actor": actor,
                "correlation_id": row["correlation_id"],
                "causation_id": row["causation_id"],
                "source": row["source"],
                "data": data,
                "hash": row["hash"],
                "prev_hash": row["prev_hash"],
                "position": position,
            }
        )

    # -- outbox ----------------------------------------------------------------------------
    def outbox_batch(self, limit: int = 256) -> list[OutboxMessage]:
        """The oldest unpublished events, as stored (not upcast), ready for the wire."""
        with self.reading() as conn:
            rows = conn.execute(self._outbox, {"limit": limit}).all()
        return [
            OutboxMessage(
                row.position,
                row.event_id,
                f"ccc.{self.context}.{row.aggregate_type}.{row.aggregate_id}.{row.event_type}",
                wire_body(row._mapping),
            )
            for row in rows
        ]

    def mark_published(self, positions: Sequence[int]) -> None:
        """Drop published events from the outbox."""
        if positions:
            with self.engine.begin() as conn:
                conn.execute(self._unpublish, {"positions": list(positions)})

    def verify(self) -> list[TamperFinding]:
        """Check every stream's hash chain and head; an empty list means nothing was tampered."""
        with self.reading() as conn:
            return verify_store(conn)

    def outbox_size(self) -> int:
        """How many events wait to be published."""
        with self.reading() as conn:
            return len(conn.execute(select(outbox.c.position)).all())


_WIRE_FIELDS = (
    "event_id",
    "event_type",
    "schema_version",
    "aggregate_type",
    "aggregate_id",
    "version",
    "correlation_id",
    "causation_id",
    "source",
    "hash",
    "prev_hash",
)


def wire_body(row: Any) -> bytes:
    """The published JSON of a stored row, byte for byte what RecordedEvent.from_json reads."""
    head = {field: row[field] for field in _WIRE_FIELDS}
    head["occurred_at"] = row["occurred_at"].isoformat()
    head["recorded_at"] = row["recorded_at"].isoformat()
    envelope = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return f'{envelope[:-1]},"actor":{row["actor"]},"data":{row["data"]}}}'.encode()
