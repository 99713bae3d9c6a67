"""Rebuild a service's projections from its event store, generically over its aggregates.

For every stream of every aggregate: replay its events, ``save`` the state (each service's
``save`` replaces the aggregate's rows), and run its ``also`` on the events that have no entry
yet (an event whose id is found in a read-model table with an ``event_id`` column counts as
entered), so a rebuild over live tables adds only what is missing. Should ``also`` still hit
an entry that is there, the unit of work is redone event by event, keeping what is there.

Each batch of streams is one transaction that holds its streams still (SQLite's ``BEGIN
IMMEDIATE`` holds the whole store; PostgreSQL locks the batch's stream heads ``FOR SHARE``,
which an append must update), so a concurrent command never interleaves between a replay and
its save, while commands on other streams go on. Truncation is safe: the named tables are
emptied in the same transaction as the whole rebuild, so a failure leaves them as they were
and no reader ever sees them empty; kernel tables cannot be named.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, cast

from sqlalchemy import Connection, MetaData, Table, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError

from ccc_audit.services import ServiceStore
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.eventstore.schema import metadata as kernel_metadata
from ccc_shared.eventstore.schema import stream_heads
from ccc_shared.handling import Aggregate

BATCH_STREAMS = 200
NOTHING_MORE = next(f.default for f in fields(Aggregate) if f.name == "also")
Progress = Callable[[int], None]  # called with the number of events replayed so far


class RebuildRefusedError(ValueError):
    """A rebuild that would destroy something it cannot rebuild."""


@dataclass
class RebuildReport:
    """What a rebuild did and how fast."""

    streams: dict[str, int] = field(default_factory=dict)  # aggregate -> streams rebuilt
    events: int = 0
    entries_already_there: int = 0
    truncated: tuple[str, ...] = ()
    seconds: float = 0.0

    def add(self, part: RebuildReport) -> None:
        """Count a committed unit of work in."""
        for name, count in part.streams.items():
            self.streams[name] = self.streams.get(name, 0) + count
        self.events += part.events
        self.entries_already_there += part.entries_already_there

    @property
    def events_per_second(self) -> float:
        """Events replayed per second of wall time."""
        return self.events / self.seconds if self.seconds > 0 else 0.0


def events_to_replay(service: ServiceStore) -> int:
    """How many events the rebuild will replay (for a progress bar)."""
    names = [aggregate.name for aggregate in service.aggregates]
    with service.store.reading() as conn:
        total = conn.execute(
            select(func.coalesce(func.sum(stream_heads.c.version), 0)).where(
                stream_heads.c.aggregate_type.in_(names)
            )
        ).scalar_one()
    return int(total)


def rebuild(
    service: ServiceStore, *, truncate: Sequence[str] = (), progress: Progress | None = None
) -> RebuildReport:
    """Rebuild every aggregate's projections; with ``truncate``, all in one transaction."""
    service.migrate()
    report = RebuildReport(truncated=tuple(truncate))
    started = time.perf_counter()
    tables = _truncatable(service, truncate)
    batches = [
        (aggregate, keys[first : first + BATCH_STREAMS])
        for aggregate in service.aggregates
        for keys in [_stream_keys(service, aggregate.name)]
        for first in range(0, len(keys), BATCH_STREAMS)
    ]
    # with truncation, everything is one unit of work: it commits whole or not at all
    units = [batches] if tables else [[batch] for batch in batches]
    entries = _entry_tables(service)
    for unit in units:
        done = report.events
        try:
            part = _run(service, unit, tables, entries, careful=False, done=done, progress=progress)
        except IntegrityError:  # some entries are there already: again, entry by entry
            part = _run(service, unit, tables, entries, careful=True, done=done, progress=progress)
        report.add(part)
    report.seconds = time.perf_counter() - started
    return report


def _run(
    service: ServiceStore,
    unit: Sequence[tuple[Aggregate[Any, Any], Sequence[str]]],
    tables: Sequence[Table],
    entries: Sequence[Table],
    *,
    careful: bool,
    done: int,
    progress: Progress | None,
) -> RebuildReport:
    """One transaction: empty the tables named, then replay the batches of streams."""
    part = RebuildReport()
    with service.store.transaction() as conn:
        for table in tables:
            conn.execute(delete(table))
        for aggregate, keys in unit:
            if service.store.sql.postgres:  # appends to these streams wait for the commit
                conn.execute(
                    select(stream_heads.c.version)
                    .where(stream_heads.c.aggregate_type == aggregate.name)
                    .where(stream_heads.c.aggregate_id.in_(keys))
                    .with_for_update(read=True)
                ).all()
            streams = _load(service, aggregate.name, keys, conn)
            present = _present(conn, entries, streams) if aggregate.also is not NOTHING_MORE else ()
            # writes go out a statement at a time for the whole batch (careful: one by one)
            writer = conn if careful else cast(Connection, Batched(conn))
            for events in streams:
                state = aggregate.replay(event.data for event in events)
                aggregate.save(state, events[-1].version, writer)
                missing = [event for event in events if event.event_id not in present]
                part.entries_already_there += len(events) - len(missing)
                if missing and aggregate.also is not NOTHING_MORE:
                    if careful:
                        part.entries_already_there += _also_carefully(aggregate, missing, conn)
                    else:
                        aggregate.also(missing, writer)
                if isinstance(writer, Batched):
                    writer.stream_done()
                part.streams[aggregate.name] = part.streams.get(aggregate.name, 0) + 1
                part.events += len(events)
                if progress is not None:
                    progress(done + part.events)
            if isinstance(writer, Batched):
                writer.flush()
    return part


class Batched:
    """A connection for a batch of streams whose row inserts and deletes are sent together.

    Each stream's save replaces rows keyed by that stream (``also`` adds rows keyed by event),
    so the streams of a batch touch different rows; their statements are queued and sent one
    executemany per statement, in the order each statement first appeared. That keeps each
    stream's own order as long as every stream issues its statements in that same order;
    a stream that does not (or any other use of the connection, a read included) sends what
    is queued first. One statement per batch instead of per stream: a round trip each on
    PostgreSQL, and SQLAlchemy's per-execute cost on both.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._order: dict[Any, int] = {}  # statement -> rank of first appearance
        self._queued: dict[Any, list[dict[str, Any]]] = {}
        self._last = -1  # rank of the current stream's latest statement

    def execute(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """Queue a plain insert or delete; run anything else after sending the queue."""
        rows = [parameters] if isinstance(parameters, dict) else parameters
        deferrable = (
            not kwargs
            and isinstance(rows, list)
            and rows
            and all(isinstance(row, dict) for row in rows)
            and (getattr(statement, "is_insert", False) or getattr(statement, "is_delete", False))
            and not getattr(statement, "_returning", ())
        )
        if not deferrable:
            self.flush()
            return self._conn.execute(statement, parameters, **kwargs)
        rank = self._order.setdefault(statement, len(self._order))
        if rank < self._last:  # this stream goes back to an earlier statement: keep its order
            self.flush()
        self._last = rank
        self._queued.setdefault(statement, []).extend(rows)
        return _NOT_COUNTED

    def stream_done(self) -> None:
        """The next statements belong to another stream."""
        self._last = -1

    def flush(self) -> None:
        """Send every queued statement, one executemany each, in first-appearance order."""
        queued, self._queued = self._queued, {}
        for statement in sorted(queued, key=self._order.__getitem__):
            self._conn.execute(statement, queued[statement])
        self._order.clear()
        self._last = -1

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self._conn, name)


class _NotCounted:
    """The result of a queued statement: its rows are not counted until the batch is sent."""

    rowcount = 0


_NOT_COUNTED = _NotCounted()


def _load(
    service: ServiceStore, aggregate_type: str, keys: Sequence[str], conn: Connection
) -> list[list[RecordedEvent]]:
    """The events of a batch of streams in one query, stream by stream, in version order."""
    return service.store.load_streams(aggregate_type, keys, conn)


def _entry_tables(service: ServiceStore) -> list[Table]:
    """Read-model tables keyed by ``event_id``: where an ``also`` keeps its entries."""
    reflected = MetaData()
    reflected.reflect(bind=service.store.engine)
    kernel = set(kernel_metadata.tables)
    return [
        table
        for name, table in sorted(reflected.tables.items())
        if name not in kernel and "event_id" in table.c
    ]


def _present(
    conn: Connection, entries: Sequence[Table], streams: Sequence[list[RecordedEvent]]
) -> set[str]:
    """The ids of these events that already have an entry somewhere."""
    ids = [event.event_id for events in streams for event in events]
    present: set[str] = set()
    for table in entries:
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            rows = conn.execute(select(table.c.event_id).where(table.c.event_id.in_(chunk)))
            present.update(row[0] for row in rows)
    return present


def _also_carefully(
    aggregate: Aggregate[Any, Any], events: list[RecordedEvent], conn: Connection
) -> int:
    """Run ``also`` event by event, keeping rows already there; how many were there."""
    there = 0
    for event in events:
        try:
            with conn.begin_nested():
                aggregate.also([event], conn)
        except IntegrityError:
            there += 1
    return there


def _stream_keys(service: ServiceStore, aggregate_type: str) -> list[str]:
    with service.store.reading() as conn:
        rows = conn.execute(
            select(stream_heads.c.aggregate_id)
            .where(stream_heads.c.aggregate_type == aggregate_type)
            .order_by(stream_heads.c.aggregate_id)
        )
        return [row[0] for row in rows]


def _truncatable(service: ServiceStore, names: Sequence[str]) -> list[Table]:
    """The read-model tables named, refusing the kernel's own and the version tables."""
    if not names:
        return []
    kernel = set(kernel_metadata.tables)
    for name in names:
        if name in kernel or name.endswith("alembic_version"):
            raise RebuildRefusedError(f"{name} is not a read model: it cannot be truncated")
    existing = set(inspect(service.store.engine).get_table_names())
    for name in names:
        if name not in existing:
            raise RebuildRefusedError(f"{service.name} has no table {name}")
    reflected = MetaData()
    reflected.reflect(bind=service.store.engine, only=list(dict.fromkeys(names)))
    return [reflected.tables[name] for name in names]
