"""The SQL event store on SQLite and PostgreSQL: append, load, read-all, concurrency, upcasting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Index

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_shared.eventstore.errors import ConcurrencyError, EventTooLargeError
from ccc_shared.eventstore.migrate import KERNEL_VERSION_TABLE
from ccc_shared.eventstore.schema import metadata
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store, sample_registry

pytestmark = pytest.mark.integration
STREAM = StreamId("enterprise", "91350100M000100Y43")


@pytest.fixture
def store(database_url: str) -> Iterator[SqlEventStore]:
    store = make_store(database_url)
    yield store
    store.close()


def samples(writer: str, count: int, start: int = 0) -> list[SampleRecorded]:
    return [SampleRecorded(writer=writer, sequence=start + i) for i in range(count)]


def test_migrations_create_exactly_the_declared_schema_and_rerun_harmlessly(
    store: SqlEventStore,
) -> None:
    store.migrate()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    dialect = store.engine.dialect.name
    assert [
        d
        for d in differences
        if (d[0] != "remove_table" or d[1].name != KERNEL_VERSION_TABLE)
        and not (d[0] == "add_index" and not _declared_for(d[1], dialect))
    ] == []


def _declared_for(index: Index, dialect: str) -> bool:
    """Whether an index is declared for this dialect (``ddl_if``: PostgreSQL's order keys)."""
    declared = {i.name: i for table in metadata.tables.values() for i in table.indexes}
    condition = declared[index.name]._ddl_if
    return condition is None or condition.dialect in (None, dialect)


def test_appended_events_load_back_typed_in_order_with_their_envelope(store: SqlEventStore) -> None:
    meta = inspector()
    written = store.append(STREAM, samples("a", 3), 0, meta)
    loaded = store.load(STREAM)
    assert [e.version for e in loaded] == [1, 2, 3]
    assert [e.data for e in loaded] == samples("a", 3)
    assert loaded == written  # the position (known once read back) is not compared
    assert all(e.position for e in loaded)  # positions are known once read back
    first = loaded[0]
    assert first.actor == meta.actor
    assert first.correlation_id == str(meta.correlation_id)
    assert first.source == "kernel-tests"
    assert first.occurred_at.tzinfo is not None
    assert first.data.note == "日常巡查记录"  # type: ignore[attr-defined]
    assert store.stream_version(STREAM) == 3


def test_load_up_to_a_version_or_as_of_a_time(store: SqlEventStore) -> None:
    store.append(STREAM, samples("a", 2), 0, inspector())
    between = datetime.now(UTC)
    store.append(STREAM, samples("a", 2, start=2), 2, inspector())
    assert [e.version for e in store.load(STREAM, up_to_version=3)] == [1, 2, 3]
    assert [e.version for e in store.load(STREAM, as_of=between)] == [1, 2]
    assert store.load(StreamId("enterprise", "nobody")) == []


def test_conflicting_append_is_refused_and_writes_nothing(store: SqlEventStore) -> None:
    store.append(STREAM, samples("a", 2), 0, inspector())
    with pytest.raises(ConcurrencyError, match="at version 2, not the expected 1"):
        store.append(STREAM, samples("b", 5), 1, inspector())
    assert [e.data.writer for e in store.load(STREAM)] == ["a", "a"]  # type: ignore[attr-defined]
    assert store.outbox_size() == 2


def test_a_failure_inside_a_transaction_rolls_back_every_append(store: SqlEventStore) -> None:
    other = StreamId("certificate", "2020010901234567")

    def both_in_one_transaction() -> None:
        with store.transaction() as conn:
            store.append(other, samples("a", 1), 0, inspector(), conn=conn)
            store.append(STREAM, samples("a", 1), 7, inspector(), conn=conn)

    with pytest.raises(ConcurrencyError):
        both_in_one_transaction()
    assert store.load(other) == []
    assert store.outbox_size() == 0


def test_names_that_break_a_subject_are_refused(store: SqlEventStore) -> None:
    with pytest.raises(ValueError, match=r"aggregate_id 'a\.b'"):
        store.append(StreamId("enterprise", "a.b"), samples("a", 1), 0, inspector())
    with pytest.raises(ValueError, match="aggregate_type 'Enterprise'"):
        store.append(StreamId("Enterprise", "x"), samples("a", 1), 0, inspector())


def test_eight_writers_on_one_stream_lose_reorder_and_double_nothing(
    store: SqlEventStore,
) -> None:
    per_writer, conflicts, lock = 25, [0], threading.Lock()

    def write(writer: str) -> None:
        for sequence in range(per_writer):
            while True:
                version = store.stream_version(STREAM)
                try:
                    store.append(
                        STREAM,
                        [SampleRecorded(writer=writer, sequence=sequence)],
                        version,
                        inspector(writer),
                    )
                    break
                except ConcurrencyError:
                    with lock:
                        conflicts[0] += 1

    run_threads(write, [f"w{i}" for i in range(8)])
    loaded = store.load(STREAM)
    assert [e.version for e in loaded] == list(range(1, 8 * per_writer + 1))
    for i in range(8):
        mine = [e.data.sequence for e in loaded if e.data.writer == f"w{i}"]  # type: ignore[attr-defined]
        assert mine == list(range(per_writer))
    assert store.verify() == []


def test_eight_writers_racing_for_the_same_version_one_wins_seven_get_the_error(
    store: SqlEventStore,
) -> None:
    barrier, outcomes = threading.Barrier(8), []

    def race(writer: str) -> None:
        barrier.wait()
        try:
            store.append(STREAM, [SampleRecorded(writer=writer, sequence=0)], 0, inspector())
            outcomes.append("won")
        except ConcurrencyError:
            outcomes.append("conflict")

    run_threads(race, [f"w{i}" for i in range(8)])
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
    assert len(store.load(STREAM)) == 1


def test_eight_writers_on_their_own_streams_read_back_in_commit_order(
    store: SqlEventStore,
) -> None:
    def write(writer: str) -> None:
        stream = StreamId("enterprise", writer)
        for sequence in range(30):
            store.append(
                stream, [SampleRecorded(writer=writer, sequence=sequence)], sequence, inspector()
            )

    run_threads(write, [f"w{i}" for i in range(8)])
    everything = list(store.iter_all(batch_size=37))
    positions = [e.position for e in everything]
    if not store.sql.postgres:  # one writer at a time: the position order is the commit order
        assert positions == sorted(positions)
    assert len(set(positions)) == 240
    for i in range(8):
        mine = [e.data.sequence for e in everything if e.aggregate_id == f"w{i}"]  # type: ignore[attr-defined]
        assert mine == list(range(30))
    assert [e.event_id for e in store.read_all(after_position=positions[99], limit=5)] == [
        e.event_id for e in everything[100:105]
    ]


def test_a_stored_v1_event_is_read_back_as_v2(database_url: str) -> None:
    class InspectionDoneV1(EventData):
        event_type = "InspectionDone"
        inspector: str

    class InspectionDoneV2(EventData):
        event_type = "InspectionDone"
        schema_version = 2
        inspectors: list[str]

    old, new = EventRegistry(), EventRegistry()
    old.register(InspectionDoneV1)
    new.register(InspectionDoneV1)
    new.register(InspectionDoneV2)
    new.upcaster("InspectionDone", 1)(lambda payload: {"inspectors": [payload["inspector"]]})

    writer = SqlEventStore(database_url, registry=old, source="t", context="inspection")
    writer.migrate()
    writer.append(STREAM, [InspectionDoneV1(inspector="张三")], 0, inspector())
    reader = SqlEventStore(database_url, registry=new, source="t", context="inspection")
    (event,) = reader.load(STREAM)
    assert event.data == InspectionDoneV2(inspectors=["张三"])
    assert event.schema_version == 2
    assert reader.verify() == []  # upcasting on read never touches what is stored
    writer.close()
    reader.close()


def test_events_are_immutable_once_recorded(store: SqlEventStore) -> None:
    (event,) = store.append(STREAM, samples("a", 1), 0, inspector())
    with pytest.raises(FrozenInstanceError):
        event.version = 9  # type: ignore[misc]


def run_threads(target: object, names: list[str]) -> None:
    errors: list[BaseException] = []

    def guarded(name: str) -> None:
        try:
            target(name)  # type: ignore[operator]
        except BaseException as error:  # re-raised in the test thread below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_the_outbox_holds_each_event_once_in_commit_order_until_published(
    store: SqlEventStore,
) -> None:
    written = store.append(STREAM, samples("a", 5), 0, inspector())
    batch = store.outbox_batch(limit=10)
    assert [m.event_id for m in batch] == [e.event_id for e in written]
    assert batch[0].subject == f"ccc.registry.enterprise.{STREAM.aggregate_id}.SampleRecorded"
    assert RecordedEvent.from_json(batch[0].body, store.registry) == written[0]
    store.mark_published([batch[0].position, batch[1].position, batch[3].position])
    assert [m.event_id for m in store.outbox_batch()] == [written[2].event_id, written[4].event_id]
    store.mark_published([m.position for m in store.outbox_batch()])
    assert store.outbox_size() == 0


def test_private_events_are_stored_but_never_reach_the_outbox(database_url: str) -> None:
    class CustodianNoted(EventData):
        event_type = "CustodianNoted"
        custodian: str

    stored, published = EventRegistry(), EventRegistry()
    stored.include(sample_registry)
    stored.register(CustodianNoted)
    published.include(sample_registry)
    store = SqlEventStore(
        database_url, registry=stored, source="t", context="registry", published=published
    )
    store.migrate()
    store.append(STREAM, [CustodianNoted(custodian="李四"), *samples("a", 1)], 0, inspector())
    assert [e.event_type for e in store.load(STREAM)] == ["CustodianNoted", "SampleRecorded"]
    assert [m.subject.rsplit(".", 1)[1] for m in store.outbox_batch()] == ["SampleRecorded"]
    assert store.verify() == []
    store.close()


def test_an_event_larger_than_the_bus_carries_is_refused_and_nothing_of_its_append_is_written(
    store: SqlEventStore,
) -> None:
    store.max_event_bytes = 4096
    store.append(STREAM, samples("a", 1), 0, inspector())
    big = SampleRecorded(writer="a", sequence=1, note="检" * 2000)  # 6,000 bytes of UTF-8
    with pytest.raises(EventTooLargeError) as refused:
        store.append(STREAM, [*samples("a", 1, start=5), big], 1, inspector())
    assert refused.value.limit == 4096
    assert next(iter(refused.value.fields)) == "note"
    assert "SampleRecorded would be 6," in str(refused.value)
    assert [e.version for e in store.load(STREAM)] == [1]  # the small one beside it neither
    assert [m.event_id for m in store.outbox_batch()] == [store.load(STREAM)[0].event_id]
    fits = SampleRecorded(writer="a", sequence=2, note="检" * 1000)  # 3,000 bytes: carried
    assert [e.version for e in store.append(STREAM, [fits], 1, inspector())] == [2]


def test_the_size_limit_counts_bytes_on_the_wire_not_characters(store: SqlEventStore) -> None:
    ascii_note = SampleRecorded(writer="a", sequence=1, note="x" * 3000)
    chinese_note = SampleRecorded(writer="b", sequence=1, note="检" * 3000)
    store.max_event_bytes = 4096
    store.append(STREAM, [ascii_note], 0, inspector())  # 3,000 characters, about 3.4 KB
    with pytest.raises(EventTooLargeError):
        store.append(STREAM, [chinese_note], 1, inspector())  # 3,000 characters, 9 KB
