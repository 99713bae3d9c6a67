"""Rebuild, generically over Aggregate records: entries kept, truncation all or nothing.

A small aggregate of the kernel's sample events, on both databases: ``save`` keeps a count per
stream, ``also`` a mark per event in a table without an ``event_id`` column (so only the
entry-by-entry path can tell a mark is there already).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, String, Table, delete, select

from ccc_audit.rebuild import RebuildRefusedError, events_to_replay, rebuild
from ccc_audit.services import ServiceStore
from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_shared.domain import Command
from ccc_shared.handling import Aggregate
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store

pytestmark = pytest.mark.integration
tables = MetaData()
counts = Table(
    "audit_test_counts", tables,
    Column("writer", String(64), primary_key=True), Column("events", Integer, nullable=False),
)  # fmt: skip
marks = Table("audit_test_marks", tables, Column("mark", String(200), primary_key=True))
broken: set[str] = set()


def save_count(state: tuple[str, int], version: int, conn: Connection) -> None:
    """The sample's read model: how many events each writer recorded (fails when told to)."""
    writer, events = state
    if writer in broken:
        raise RuntimeError(f"save of {writer} fails")
    conn.execute(delete(counts).where(counts.c.writer == writer))
    conn.execute(counts.insert().values(writer=writer, events=events))


def mark(events: Sequence[RecordedEvent], conn: Connection) -> None:
    """One mark per event, keyed by stream and version (no event_id column)."""
    conn.execute(marks.insert(), [{"mark": f"{e.aggregate_id}:{e.version}"} for e in events])


def count(state: tuple[str, int] | None, event: SampleRecorded) -> tuple[str, int]:
    """Evolve: the writer, and one more event."""
    return event.writer, (state[1] if state else 0) + 1


SAMPLE: Aggregate[tuple[str, int], Command] = Aggregate(
    name="sample", noun="sample", creation=Command, key=lambda command: "",
    decide=lambda state, command, today: [], evolve=count, save=save_count, also=mark,
)  # fmt: skip


def migrate(engine: Engine) -> None:
    """The sample's read-model tables."""
    tables.create_all(engine)


@pytest.fixture
def service(database_url: str) -> Iterator[ServiceStore]:
    """Three writers' streams of four sample events each, projections not yet built."""
    store = make_store(database_url)
    for writer in ("wang", "li", "zhang"):
        events = [SampleRecorded(writer=writer, sequence=n) for n in range(4)]
        store.append(StreamId("sample", writer), events, 0, inspector())
    broken.clear()
    running = ServiceStore("sample-service", "registry", store, (SAMPLE,), (migrate,))
    yield running
    running.close()


def rows(service: ServiceStore) -> tuple[dict[str, int], int]:
    """The counts per writer, and how many marks."""
    with service.store.engine.connect() as conn:
        per_writer = {row.writer: row.events for row in conn.execute(select(counts))}
        return per_writer, len(conn.execute(select(marks)).all())


def test_rebuild_builds_then_keeps_entries_there_and_adds_missing_ones(
    service: ServiceStore,
) -> None:
    seen: list[int] = []
    report = rebuild(service, progress=seen.append)
    assert rows(service) == ({"wang": 4, "li": 4, "zhang": 4}, 12)
    assert (report.events, report.streams, report.entries_already_there) == (12, {"sample": 3}, 0)
    assert seen == sorted(seen)
    assert seen[-1] == events_to_replay(service) == 12
    again = rebuild(service)
    assert again.entries_already_there == 12
    assert rows(service) == ({"wang": 4, "li": 4, "zhang": 4}, 12)
    with service.store.engine.begin() as conn:
        conn.execute(delete(marks).where(marks.c.mark.like("li:%")))
        conn.execute(delete(counts))
    third = rebuild(service)
    assert third.entries_already_there == 8
    assert rows(service) == ({"wang": 4, "li": 4, "zhang": 4}, 12)


def test_truncation_commits_with_the_whole_rebuild_or_not_at_all(service: ServiceStore) -> None:
    rebuild(service)
    with service.store.engine.begin() as conn:
        conn.execute(counts.update().values(events=99))  # a read model gone wrong
    broken.add("zhang")
    with pytest.raises(RuntimeError, match="save of zhang fails"):
        rebuild(service, truncate=["audit_test_counts"])
    assert rows(service)[0] == {"wang": 99, "li": 99, "zhang": 99}  # untouched, not empty
    broken.clear()
    report = rebuild(service, truncate=["audit_test_counts"])
    assert report.truncated == ("audit_test_counts",)
    assert rows(service) == ({"wang": 4, "li": 4, "zhang": 4}, 12)


@pytest.mark.parametrize("table", ["events", "outbox", "stream_heads", "processed_events"])
def test_kernel_tables_cannot_be_truncated(service: ServiceStore, table: str) -> None:
    with pytest.raises(RebuildRefusedError, match="not a read model"):
        rebuild(service, truncate=[table])
    assert len(service.store.read_all()) == 12
