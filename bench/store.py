"""Store bench: our SqlEventStore against the eventsourcing library, on SQLite and PostgreSQL.

Each side gets its own fresh database on the same server (a file in a temp folder, or a
scratch PostgreSQL database created and dropped here), the same pool of aggregates created
up front (not timed), then three repetitions of: N commands of 1 event, M commands of 100
events (round robin over the pool, each an optimistic-concurrency append to an existing
stream), and reading the first R events back as typed event objects.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select

from bench.common import (
    REPEATS,
    InspectionNoted,
    Row,
    bench_registry,
    fdatasync_rate,
    median_rate,
    payload,
    postgres_url,
    scratch_postgres,
    timed,
)
from bench.store_es import EventsourcingSide, postgres_env, sqlite_env
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_shared.eventstore.schema import events
from ccc_shared.eventstore.sql import SqlEventStore

AGGREGATES = 100
ONE_EVENT_COMMANDS = 2000
BATCH_COMMANDS = 50
BATCH_SIZE = 100
READ_EVENTS = 20_000
READ_BATCH = 1000
TARGET = 3.0
FSYNC_TARGET = 0.5  # PostgreSQL's single-event append against the disk's fdatasync rate
ACTOR = Actor(id="inspector-1", role="inspector", name="王检查员")


class Side(Protocol):
    name: str

    def append(self, commands: int, per_command: int) -> int: ...
    def read(self, count: int) -> int: ...
    def total(self) -> int: ...
    def close(self) -> None: ...


class OurSide:
    """Runs the bench commands against SqlEventStore."""

    name = "ours"

    def __init__(self, url: str, aggregates: int) -> None:
        self.store = SqlEventStore(url, registry=bench_registry, source="bench", context="bench")
        self.store.migrate()
        self.streams = [StreamId("inspection", f"case-{index}") for index in range(aggregates)]
        self.versions = [0] * aggregates
        self.sequence = 0
        self.append(aggregates, 1)  # each stream gets its first event, like Aggregate.Created

    def append(self, commands: int, per_command: int) -> int:
        """Run ``commands`` commands of ``per_command`` events each; returns events written."""
        streams, versions, append = self.streams, self.versions, self.store.append
        for command in range(commands):
            index = command % len(streams)
            first = self.sequence
            new_events = [InspectionNoted(**payload(s)) for s in range(first, first + per_command)]
            self.sequence += per_command
            append(streams[index], new_events, versions[index], EventMetadata(actor=ACTOR))
            versions[index] += per_command
        return commands * per_command

    def read(self, count: int) -> int:
        """Read the first ``count`` events in commit order as typed events."""
        decoded: list[object] = []
        after = 0
        while len(decoded) < count:
            batch = self.store.read_all(after, min(READ_BATCH, count - len(decoded)))
            if not batch:
                break
            decoded.extend(batch)
            after = batch[-1].position or after
        last = decoded[-1]
        assert isinstance(getattr(last, "data", None), InspectionNoted), type(last)
        return len(decoded)

    def total(self) -> int:
        """How many events the store holds."""
        with self.store.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(events)).scalar_one())

    def close(self) -> None:
        self.store.close()


Measured = dict[str, list[float]]


def measure(side: Side) -> Measured:
    """Three repetitions of each workload on one side; rates in events per second."""
    rates: Measured = {"append1": [], "append100": [], "read": []}
    for _ in range(REPEATS):
        rates["append1"].append(timed(lambda: side.append(ONE_EVENT_COMMANDS, 1)))
        rates["append100"].append(timed(lambda: side.append(BATCH_COMMANDS, BATCH_SIZE)))
    missing = READ_EVENTS - side.total()
    if missing > 0:  # top up (not timed) so that there is enough to read
        side.append(-(-missing // BATCH_SIZE), BATCH_SIZE)
    for _ in range(REPEATS):
        rates["read"].append(timed(lambda: side.read(READ_EVENTS)))
    return rates


SideFactory = Callable[[], Side]


@contextmanager
def sqlite_sides() -> Iterator[tuple[SideFactory, SideFactory]]:
    with tempfile.TemporaryDirectory(prefix="ccc-bench-store-") as folder:
        ours_db, theirs_db = Path(folder) / "ours.db", Path(folder) / "eventsourcing.db"
        yield (
            lambda: OurSide(f"sqlite:///{ours_db}", AGGREGATES),
            lambda: EventsourcingSide(sqlite_env(str(theirs_db)), AGGREGATES),
        )


@contextmanager
def postgres_sides() -> Iterator[tuple[SideFactory, SideFactory]]:
    with scratch_postgres("bench_ours") as ours_db, scratch_postgres("bench_es") as theirs_db:
        yield (
            lambda: OurSide(postgres_url(ours_db), AGGREGATES),
            lambda: EventsourcingSide(postgres_env(theirs_db), AGGREGATES),
        )


def run_one(factory: SideFactory) -> Measured:
    side = factory()
    try:
        return measure(side)
    finally:
        side.close()


def run() -> list[Row]:
    """Both stores, both sides; one table row per workload and store."""
    rows: list[Row] = []
    for label, sides in (("SQLite", sqlite_sides), ("PostgreSQL", postgres_sides)):
        with sides() as (ours_factory, theirs_factory):
            ours, theirs = run_one(ours_factory), run_one(theirs_factory)
        for key, what in (
            ("append1", f"store append, 1 event/command ({label})"),
            ("append100", f"store append, {BATCH_SIZE} events/command ({label})"),
            ("read", f"store read-all decoded ({label})"),
        ):
            rows.append(Row(what, median_rate(ours[key]), median_rate(theirs[key]), TARGET))
    # a commit alone waits for one WAL flush: the disk's fdatasync rate bounds it
    append1 = next(row for row in rows if row.what.endswith("1 event/command (PostgreSQL)"))
    rows.append(
        Row(
            "store append, 1 event/command (PostgreSQL) vs the disk's fdatasync/s",
            append1.ours,
            fdatasync_rate(),
            FSYNC_TARGET,
        )
    )
    return rows
