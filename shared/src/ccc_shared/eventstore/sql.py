"""The SQL event store: append with an expected version, load streams, read all in commit order.

One implementation for SQLite and PostgreSQL.

The ordering rule (what a catch-up reader such as the relay or a rebuild may rely on):
- SQLite has one writer at a time (``BEGIN IMMEDIATE``), so positions are assigned in commit
  order and read-all goes by position.
- PostgreSQL appends from concurrent transactions run in parallel; nothing store-wide is
  locked. Each event row carries a key ``tx``: the id of the transaction that wrote it
  (``pg_current_xact_id()``), or the key of the stream's previous event if that is larger
  (the stream head keeps it), so a stream's events never go backwards. Read-all and the outbox
  go in ``(tx, position)`` order and only below the horizon
  ``pg_snapshot_xmin(pg_current_snapshot())``, the oldest transaction still running: every
  row not yet visible belongs to a transaction at or above the horizon, and its key is at
  least its transaction's id, so no row can ever appear before one already read. A
  transaction that commits late holds readers back until it ends (any long transaction on the
  server does), it is never skipped. Positions stay unique but are no longer gap-free nor
  read in numeric order.
- A stream's versions are guarded by its head row: an append moves the head from the
  expected version (and hash) in the same statement that inserts the events, or writes
  nothing and raises ``ConcurrencyError``. The hash chain is per stream, so parallel appends
  to different streams never touch each other's chain.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.envelope import (
    Actor,
    EventMetadata,
    RecordedEvent,
    StreamId,
    utcnow,
)
from ccc_contracts.hashing import GENESIS, event_hash, timestamp_text
from ccc_contracts.ids import uuid7_text
from ccc_shared.eventstore.engine import READ_ONLY, make_engine
from ccc_shared.eventstore.errors import ConcurrencyError, EventTooLargeError
from ccc_shared.eventstore.heads import KnownHeads
from ccc_shared.eventstore.horizon import OUTBOX_SETTLE_SECONDS, SETTLE_SECONDS, settle
from ccc_shared.eventstore.rawsql import SELECT_EVENTS, Statements, WireTemplate
from ccc_shared.eventstore.verify import TamperFinding, verify_store

APPENDED = "ccc_appended"
WRITER_WAIT_SECONDS = 30.0  # as long as SQLite's own busy timeout
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
MAX_VERSION = 2**31 - 1
# nats-server's default max_payload (1 MiB) less room for the relay's headers (message id,
# expected last id); the kernel lowers it to what the connected server announces.
HEADER_ALLOWANCE = 4096
DEFAULT_MAX_EVENT_BYTES = 1024 * 1024 - HEADER_ALLOWANCE


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An event waiting to be published: outbox position, event id, subject and wire body."""

    position: int
    event_id: str
    subject: str
    body: bytes


def key_of(stream: StreamId) -> tuple[str, str]:
    """A stream as a plain key."""
    return stream.aggregate_type, stream.aggregate_id


class SqlEventStore:
    """Event store on SQLite or PostgreSQL; schema by SQLAlchemy, hot paths on the raw driver."""

    def __init__(
        self,
        url: str,
        *,
        registry: EventRegistry,
        source: str,
        context: str,
        published: EventRegistry | None = None,
    ) -> None:
        """``registry``: every event stored; ``published``: those the outbox sends (default all).

        A service's private events are stored and read back but never leave it: only its
        contract events reach its stream (DESIGN: contracts are the public face).
        """
        self.engine = make_engine(url)
        self.registry = registry
        self.published = published
        self.source = source
        self.context = context
        self.sql = Statements(self.engine.dialect.name)
        self._listeners: list[Callable[[], None]] = []
        self._actors: dict[str, Actor] = {}
        # SQLite has one writer at a time; its busy handler makes the others sleep and poll
        # (up to 100 ms a try), which made the slowest commits wait a second under load. The
        # writers of this process queue on a lock instead and start the moment it is free.
        sqlite = self.engine.dialect.name == "sqlite"
        self._writer: threading.Lock | None = threading.Lock() if sqlite else None
        # no event larger than the bus carries is ever stored (DESIGN: limits)
        self.max_event_bytes = DEFAULT_MAX_EVENT_BYTES
        # the head each stream had when this process last loaded or appended it: a command
        # loads then appends, so the append can go without reading the head first (the
        # statement checks version and hash; a stale entry only costs a second round trip)
        self._heads = KnownHeads()

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

    def _committed(self) -> None:
        for listener in self._listeners:
            listener()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold this process's SQLite writer lock (nothing on PostgreSQL)."""
        if self._writer is None:
            yield
            return
        if not self._writer.acquire(timeout=WRITER_WAIT_SECONDS):
            raise TimeoutError(f"no write turn on {self.engine.url} in {WRITER_WAIT_SECONDS} s")
        try:
            yield
        finally:
            self._writer.release()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; appends inside it commit or roll back together."""
        with self._writing(), self.engine.begin() as conn:
            yield conn
            appended = conn.info.pop(APPENDED, False)
        if appended:
            self._committed()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction (never blocks writers)."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
            yield conn

    @contextmanager
    def _raw(self, *, write: bool) -> Iterator[Any]:
        """A pooled driver cursor in one transaction, committed on success."""
        with self._writing() if write else contextlib.nullcontext():
            yield from self._raw_cursor(write=write)

    def _raw_cursor(self, *, write: bool) -> Iterator[Any]:
        connection = self.engine.raw_connection()
        try:
            with closing(connection.cursor()) as cursor:
                if write and self.sql.begin:
                    cursor.execute(self.sql.begin)
                yield cursor
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            # cursors are closed in the thread that used them: a cursor left to the garbage
            # collector may be reset from another thread while its connection is in use
            # there, which SQLite reports as "bad parameter or other API misuse"
            connection.close()

    @contextmanager
    def _single(self) -> Iterator[Any]:
        """A pooled cursor whose statements each commit alone (PostgreSQL autocommit).

        Every hot statement on PostgreSQL is one statement, so this saves the round trips of
        BEGIN and COMMIT; on SQLite it is an ordinary transaction.
        """
        if not self.sql.postgres:
            with self._raw(write=False) as cursor:
                yield cursor
            return
        connection = self.engine.raw_connection()
        driver = connection.driver_connection
        try:
            driver.autocommit = True  # type: ignore[union-attr]
            with closing(connection.cursor()) as cursor:
                yield cursor
        finally:
            with contextlib.suppress(Exception):  # a broken connection is dropped by the pool
                driver.autocommit = False  # type: ignore[union-attr]
            connection.close()

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
        stream.check()
        if not new_events:
            return []
        if conn is not None:
            driver = conn.connection.driver_connection
            with closing(driver.cursor()) as cursor:  # type: ignore[union-attr]
                recorded = self._append(cursor, stream, new_events, expected_version, metadata)
            conn.info[APPENDED] = True
            return recorded
        if self.sql.postgres:
            with self._single() as cursor:
                recorded = self._append(cursor, stream, new_events, expected_version, metadata)
        else:
            with self._raw(write=True) as cursor:
                recorded = self._append(cursor, stream, new_events, expected_version, metadata)
        self._committed()
        return recorded

    def _append(
        self,
        cursor: Any,
        stream: StreamId,
        new_events: Sequence[EventData],
        expected_version: int,
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        if self.sql.postgres:
            return self._append_postgres(cursor, stream, new_events, expected_version, metadata)
        sql = self.sql
        key = {"aggregate_type": stream.aggregate_type, "aggregate_id": stream.aggregate_id}
        cursor.execute(sql.head, key)
        head = next(iter(cursor.fetchall()), None)
        actual_version, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
        if actual_version != expected_version:
            raise ConcurrencyError(stream, expected_version, actual_version)
        recorded_at = utcnow()
        event_rows, outbox_rows, recorded = self._rows(
            stream, new_events, actual_version, prev_hash, metadata, recorded_at
        )
        cursor.executemany(sql.insert_event, event_rows)
        head_row = {
            **key,
            "version": recorded[-1].version,
            "hash": recorded[-1].hash,
            "updated_at": sql.to_db(recorded_at),
            "expected": expected_version,
        }
        if head is None:
            del head_row["expected"]
            cursor.execute(sql.insert_head, head_row)
        else:
            cursor.execute(sql.update_head, head_row)
        if outbox_rows:
            cursor.executemany(sql.insert_outbox, outbox_rows)
        return recorded

    def _append_postgres(
        self,
        cursor: Any,
        stream: StreamId,
        new_events: Sequence[EventData],
        expected_version: int,
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        """One statement moves the head and inserts events and outbox rows (one round trip).

        The head the statement expects comes from this process's last load or append of the
        stream; without one, or when it was stale, the head is read first.
        """
        known = self._heads.get(key_of(stream))
        if expected_version == 0:
            expected_hash = GENESIS
        elif known is not None and known[0] == expected_version:
            expected_hash = known[1]
        else:
            expected_hash = self._read_head(cursor, stream, expected_version)
        for attempt in range(2):
            recorded = self._write_postgres(
                cursor, stream, new_events, expected_version, expected_hash, metadata
            )
            if recorded:
                return recorded
            if expected_version == 0 or attempt:
                break
            expected_hash = self._read_head(cursor, stream, expected_version)  # stale: again
        raise ConcurrencyError(stream, expected_version, self._head(cursor, stream)[0])

    def _write_postgres(
        self,
        cursor: Any,
        stream: StreamId,
        new_events: Sequence[EventData],
        expected_version: int,
        expected_hash: str,
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        recorded_at = utcnow()
        event_rows, outbox_rows, recorded = self._rows(
            stream, new_events, expected_version, expected_hash, metadata, recorded_at
        )
        published = {row[0]: row for row in outbox_rows}
        first = recorded[0]
        params = {
            "aggregate_type": stream.aggregate_type,
            "aggregate_id": stream.aggregate_id,
            "occurred_at": first.occurred_at,
            "recorded_at": recorded_at,
            "actor": event_rows[0][8],
            "correlation_id": first.correlation_id,
            "causation_id": first.causation_id,
            "source": first.source,
            "event_id": [row[0] for row in event_rows],
            "event_type": [row[1] for row in event_rows],
            "schema_version": [row[2] for row in event_rows],
            "version": [row[5] for row in event_rows],
            "data": [row[12] for row in event_rows],
            "prev_hash": [row[13] for row in event_rows],
            "hash": [row[14] for row in event_rows],
            "subject": [published[row[0]][1] if row[0] in published else None
                        for row in event_rows],
            "body": [published[row[0]][2] if row[0] in published else None
                     for row in event_rows],
            "new_version": recorded[-1].version,
            "new_hash": recorded[-1].hash,
            "expected": expected_version,
            "expected_hash": expected_hash,
        }  # fmt: skip
        statement = self.sql.append_new if expected_version == 0 else self.sql.append_next
        cursor.execute(statement, params)
        if not cursor.fetchall():
            return []
        self._heads.remember(key_of(stream), recorded[-1].version, recorded[-1].hash)
        return recorded

    def _read_head(self, cursor: Any, stream: StreamId, expected_version: int) -> str:
        """The head's hash if the stream is at ``expected_version``, else the conflict."""
        actual, hash_ = self._head(cursor, stream)
        if actual != expected_version:
            raise ConcurrencyError(stream, expected_version, actual)
        return hash_

    def _head(self, cursor: Any, stream: StreamId) -> tuple[int, str]:
        """The stream's version and last hash as stored (0 and the genesis hash if new)."""
        cursor.execute(
            self.sql.head,
            {"aggregate_type": stream.aggregate_type, "aggregate_id": stream.aggregate_id},
        )
        head = cursor.fetchone()
        return (int(head[0]), str(head[1])) if head else (0, GENESIS)

    def _rows(
        self,
        stream: StreamId,
        new_events: Sequence[EventData],
        version: int,
        prev_hash: str,
        metadata: EventMetadata,
        recorded_at: datetime,
    ) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str]], list[RecordedEvent]]:
        """Rows for the events and outbox tables, and the events as recorded."""
        aggregate_type, aggregate_id = stream
        occurred_at = metadata.occurred_at.astimezone(UTC)
        actor_json = self._actor_json(metadata.actor)
        actor = self._actor(actor_json)
        correlation_id = str(metadata.correlation_id)
        causation_id = str(metadata.causation_id) if metadata.causation_id else None
        source, published = self.source, self.published
        hashed: dict[str, Any] = {
            "aggregate_type": aggregate_type,
            "aggregate_id": aggregate_id,
            "occurred_at": timestamp_text(occurred_at),
            "recorded_at": timestamp_text(recorded_at),
            "actor": actor_json,
            "correlation_id": correlation_id,
            "causation_id": causation_id,
            "source": source,
        }
        occurred_db, recorded_db = self.sql.to_db(occurred_at), self.sql.to_db(recorded_at)
        wire = WireTemplate(self.context, {**hashed, "occurred_at": occurred_at,
                                           "recorded_at": recorded_at})  # fmt: skip
        event_rows: list[tuple[Any, ...]] = []
        outbox_rows: list[tuple[str, str, str]] = []
        recorded: list[RecordedEvent] = []
        for data in new_events:
            version += 1
            event_id, event_type, schema_version = (
                uuid7_text(),
                data.event_type,
                data.schema_version,
            )
            payload = data.model_dump_json()
            digest = event_hash(
                prev_hash, event_id=event_id, event_type=event_type,
                schema_version=schema_version, data=payload, **hashed,
            )  # fmt: skip
            event_rows.append((
                event_id, event_type, schema_version, aggregate_type, aggregate_id, version,
                occurred_db, recorded_db, actor_json, correlation_id, causation_id, source,
                payload, prev_hash, digest,
            ))  # fmt: skip
            body = wire.body(
                event_id, event_type, schema_version, version, payload, digest, prev_hash
            )
            self._check_size(data, body)
            if published is None or published.knows(event_type):
                outbox_rows.append((event_id, wire.subject(event_type), body))
            recorded.append(RecordedEvent(
                event_id, event_type, schema_version, aggregate_type, aggregate_id, version,
                occurred_at, recorded_at, actor, correlation_id, causation_id, source, data,
                digest, prev_hash,
            ))  # fmt: skip
            prev_hash = digest
        return event_rows, outbox_rows, recorded

    def _check_size(self, data: EventData, body: str) -> None:
        """Refuse an event whose wire body exceeds ``max_event_bytes``, naming its largest fields.

        Private events are held to the same size as published ones: one rule, and a private
        event may be published by a later version of its service.
        """
        limit = self.max_event_bytes
        if len(body) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character
            return
        size = len(body.encode())
        if size <= limit:
            return
        sizes = {
            name: len(json.dumps(value, ensure_ascii=False, default=str).encode())
            for name, value in data.model_dump(mode="json").items()
        }
        largest = dict(sorted(sizes.items(), key=lambda item: -item[1])[:3])
        raise EventTooLargeError(data.event_type, size, limit, largest)

    def _actor_json(self, actor: Actor) -> str:
        text = actor.model_dump_json()
        self._actors.setdefault(text, actor)
        return text

    # -- reading ---------------------------------------------------------------------------
    def stream_version(self, stream: StreamId) -> int:
        """The stream's current version (0 if it has no events)."""
        with self._single() as cursor:
            return self._head(cursor, stream)[0]

    def load(
        self,
        stream: StreamId,
        *,
        up_to_version: int | None = None,
        as_of: datetime | None = None,
        conn: Connection | None = None,
    ) -> list[RecordedEvent]:
        """One stream in order: whole, up to a version, or as recorded by a point in time.

        With ``conn``, read inside that transaction (its own uncommitted appends included).
        """
        params = {
            "aggregate_type": stream.aggregate_type,
            "aggregate_id": stream.aggregate_id,
            "up_to": MAX_VERSION if up_to_version is None else up_to_version,
            "as_of": self.sql.to_db(FAR_FUTURE if as_of is None else as_of),
        }
        if conn is not None:
            driver = conn.connection.driver_connection
            with closing(driver.cursor()) as cursor:  # type: ignore[union-attr]
                cursor.execute(self.sql.stream, params)
                loaded = [self.decode(row) for row in cursor.fetchall()]
        else:
            with self._single() as cursor:
                cursor.execute(self.sql.stream, params)
                loaded = [self.decode(row) for row in cursor.fetchall()]
        if loaded and up_to_version is None and as_of is None:
            self._heads.remember(key_of(stream), loaded[-1].version, loaded[-1].hash)
        return loaded

    def load_streams(
        self, aggregate_type: str, aggregate_ids: Sequence[str], conn: Connection
    ) -> list[list[RecordedEvent]]:
        """Many streams of one aggregate type in one query, each in version order (for replays).

        Streams come in the order of their ids (as the database sorts them); a stream with no
        events is left out.
        """
        if not aggregate_ids:
            return []
        marker = "%s" if self.sql.postgres else "?"
        statement = (
            f"{SELECT_EVENTS} WHERE aggregate_type = {marker} AND aggregate_id IN"
            f" ({', '.join([marker] * len(aggregate_ids))}) ORDER BY aggregate_id, version"
        )
        driver = conn.connection.driver_connection
        with closing(driver.cursor()) as cursor:  # type: ignore[union-attr]
            cursor.execute(statement, (aggregate_type, *aggregate_ids))
            rows = cursor.fetchall()
        streams: list[list[RecordedEvent]] = []
        current = None
        for row in rows:
            event = self.decode(row)
            if event.aggregate_id != current:
                current = event.aggregate_id
                streams.append([])
            streams[-1].append(event)
        return streams

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Events after a position in commit order, decoded to their newest schema.

        Every event committed before the call is included (up to ``limit``): on PostgreSQL
        this waits, at most ``SETTLE_SECONDS``, for transactions that were running at the
        call to end, since an event below them in the order may still commit.
        """
        with self._single() as cursor:
            return self._read_settled(cursor, after_position, limit)

    def _read_settled(self, cursor: Any, after: int, limit: int) -> list[RecordedEvent]:
        events: list[RecordedEvent] = []

        def read() -> bool:
            start = events[-1].position if events else after
            cursor.execute(self.sql.read_after, {"after": start, "limit": limit - len(events)})
            events.extend(self.decode(row) for row in cursor.fetchall())
            return len(events) >= limit

        self._settle(cursor, read, SETTLE_SECONDS, strict=True)
        return events

    def _settle(self, cursor: Any, read: Callable[[], bool], seconds: float, strict: bool) -> None:
        """``read()`` until it holds what committed before it (SQLite: one read, one writer)."""
        if self.sql.postgres:
            settle(cursor, read, seconds, strict=strict)
        else:
            read()

    def iter_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[RecordedEvent]:
        """Every event after a position, in commit order, fetched a batch at a time."""
        while batch := self.read_all(after_position, batch_size):
            yield from batch
            after_position = batch[-1].position or after_position

    def decode(self, row: Sequence[Any]) -> RecordedEvent:
        """A stored row (columns as in ``EVENT_COLUMNS``) as a typed, upcast event."""
        (
            position,
            event_id,
            event_type,
            schema_version,
            aggregate_type,
            aggregate_id,
            version,
            occurred_at,
            recorded_at,
            actor,
            correlation_id,
            causation_id,
            source,
            data,
            prev_hash,
            hash_,
        ) = row
        payload = self.registry.decode(event_type, schema_version, data)
        return RecordedEvent(
            event_id, event_type, payload.schema_version, aggregate_type, aggregate_id, version,
            self.sql.from_db(occurred_at), self.sql.from_db(recorded_at), self._actor(actor),
            correlation_id, causation_id, source, payload, hash_, prev_hash, position,
        )  # fmt: skip

    def _actor(self, text: str) -> Actor:
        actor = self._actors.get(text)
        if actor is None:
            actor = self._actors.setdefault(text, Actor.model_validate_json(text))
        return actor

    # -- outbox ----------------------------------------------------------------------------
    def outbox_batch(self, limit: int = 256) -> list[OutboxMessage]:
        """The oldest unpublished events in commit order, with their wire bodies as stored."""
        rows: list[Any] = []

        def read() -> bool:
            cursor.execute(self.sql.outbox, {"limit": limit})
            rows[:] = cursor.fetchall()
            return len(rows) >= limit

        with self._single() as cursor:  # the relay polls again: a short wait, never an error
            self._settle(cursor, read, OUTBOX_SETTLE_SECONDS, strict=False)
        return [OutboxMessage(row[0], row[1], row[2], row[3].encode()) for row in rows]

    def mark_published(self, positions: Sequence[int]) -> None:
        """Drop published events from the outbox (a run of consecutive ones in one statement)."""
        if not positions:
            return
        writing = self._single() if self.sql.postgres else self._raw(write=True)
        with writing as cursor:
            first, last = min(positions), max(positions)
            if last - first + 1 == len(positions):
                cursor.execute(self.sql.unpublish_range, {"first": first, "last": last})
            else:
                cursor.executemany(self.sql.unpublish, [{"id": p} for p in positions])

    def outbox_size(self) -> int:
        """How many events wait to be published."""
        with self._raw(write=False) as cursor:
            cursor.execute(self.sql.outbox_size)
            return int(cursor.fetchone()[0])

    def verify(self) -> list[TamperFinding]:
        """Check every stream's hash chain and head; an empty list means nothing was tampered."""
        with self.reading() as conn:
            return verify_store(conn)
