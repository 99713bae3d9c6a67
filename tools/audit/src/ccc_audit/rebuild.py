"""Rebuild a service's projections from its event store, generically over its aggregates.

For every stream of every aggregate: replay its events, ``save`` the state (each service's
``save`` replaces the aggregate's rows), and run its ``also`` on the events (entries keyed by
event id; an entry already there is kept, so a rebuild over live tables adds only what is
missing). Each batch runs in one transaction holding the store's append lock (SQLite's
``BEGIN IMMEDIATE``, PostgreSQL's advisory lock), so a concurrent command never interleaves
between a replay and its save. Truncation (``truncate``) is safe: the named tables are
emptied in the same transaction as the whole rebuild, so a failure leaves them as they were
and no reader ever sees them empty; kernel tables cannot be named.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, MetaData, Table, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError

from ccc_audit.services import ServiceStore
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.eventstore.schema import metadata as kernel_metadata
from ccc_shared.eventstore.schema import stream_heads
from ccc_shared.handling import Aggregate

BATCH_STREAMS = 200
NOTHING_MORE = next(f.default for f in fields(Aggregate) if f.name == "also")
Progress = Callable[[int], None]


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
    streams = [(a, key) for a in service.aggregates for key in _stream_keys(service, a.name)]
    if tables:
        with service.store.transaction() as conn:
            _lock(service, conn)
            for table in tables:
                conn.execute(delete(table))
            _replay(service, streams, conn, report, progress)
    else:
        for first in range(0, len(streams), BATCH_STREAMS):
            with service.store.transaction() as conn:
                _lock(service, conn)
                _replay(service, streams[first : first + BATCH_STREAMS], conn, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _replay(
    service: ServiceStore,
    streams: Sequence[tuple[Aggregate[Any, Any], str]],
    conn: Connection,
    report: RebuildReport,
    progress: Progress | None,
) -> None:
    for aggregate, key in streams:
        events = service.store.load(aggregate.stream(key), conn=conn)
        if not events:
            continue
        state = aggregate.replay(event.data for event in events)
        aggregate.save(state, events[-1].version, conn)
        if aggregate.also is not NOTHING_MORE:
            report.entries_already_there += _also(aggregate, events, conn)
        report.streams[aggregate.name] = report.streams.get(aggregate.name, 0) + 1
        report.events += len(events)
        if progress is not None:
            progress(len(events))


def _also(aggregate: Aggregate[Any, Any], events: list[RecordedEvent], conn: Connection) -> int:
    """Run ``also``; where its rows exist already, keep them. Returns how many were there."""
    try:
        with conn.begin_nested():
            aggregate.also(events, conn)
        return 0
    except IntegrityError:
        pass
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


def _lock(service: ServiceStore, conn: Connection) -> None:
    """Hold the store's append lock (PostgreSQL; SQLite's writer lock is already held)."""
    if service.store.sql.lock:
        conn.exec_driver_sql(service.store.sql.lock)


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
