"""The ordering rule under concurrent writers: a reader racing them misses and reorders nothing.

PostgreSQL appends run in parallel (no store-wide lock); SQLite keeps one writer at a time.
Either way a catch-up reader (read-all, the outbox) sees every event exactly once, in one
order that never changes once read, and each stream in version order (README: ordering rule).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store
from ccc_shared.testing.servers import fresh_postgres_database

pytestmark = pytest.mark.integration

WRITERS = 6
TRANSACTIONS = 30  # per writer
SHARED = [StreamId("certificate", f"shared-{index}") for index in range(3)]


@pytest.fixture
def store(database_url: str) -> Iterator[SqlEventStore]:
    store = make_store(database_url)
    yield store
    store.close()


@pytest.fixture
def postgres_store(postgres_admin_engine: Engine) -> Iterator[SqlEventStore]:
    """PostgreSQL only: SQLite has one writer at a time, so no commit can come late there."""
    with fresh_postgres_database(postgres_admin_engine) as url:
        store = make_store(url)
        yield store
        store.close()


def sample(writer: str, sequence: int) -> list[SampleRecorded]:
    return [SampleRecorded(writer=writer, sequence=sequence)]


def write_transactions(store: SqlEventStore, writer: str, seed: int) -> None:
    """Transactions of one to three appends on the writer's own and shared streams, with
    pauses inside so that commits come late and out of step with positions."""
    chance = random.Random(seed)
    own = StreamId("enterprise", writer)
    own_version = 0
    for sequence in range(TRANSACTIONS):
        while True:
            try:
                with store.transaction() as conn:
                    store.append(own, sample(writer, sequence), own_version, inspector(), conn=conn)
                    threading.Event().wait(chance.random() * 0.003)
                    if chance.random() < 0.5:
                        shared = chance.choice(SHARED)
                        version = len(store.load(shared, conn=conn))
                        store.append(
                            shared, sample(writer, sequence), version, inspector(), conn=conn
                        )
                    threading.Event().wait(chance.random() * 0.002)
                own_version += 1
                break
            except ConcurrencyError:  # a shared stream moved: the whole transaction again
                continue


def test_a_reader_racing_concurrent_writers_misses_and_reorders_nothing(
    store: SqlEventStore,
) -> None:
    done = threading.Event()
    tailed: list[RecordedEvent] = []
    published: list[str] = []
    errors: list[BaseException] = []

    def tail() -> None:  # a catch-up reader: small batches from the last position it saw
        try:
            after = 0
            while True:
                finished = done.is_set()
                batch = store.read_all(after, 7)
                tailed.extend(batch)
                after = batch[-1].position or after if batch else after
                if finished and not batch:
                    return
        except BaseException as error:
            errors.append(error)

    def relay() -> None:  # the outbox as the relay drains it
        try:
            while True:
                finished = done.is_set()
                batch = store.outbox_batch(11)
                published.extend(message.event_id for message in batch)
                store.mark_published([message.position for message in batch])
                if finished and not batch:
                    return
        except BaseException as error:
            errors.append(error)

    def writer(name: str, seed: int) -> None:
        try:
            write_transactions(store, name, seed)
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=tail), threading.Thread(target=relay)]
    writers = [
        threading.Thread(target=writer, args=(f"w{index}", index)) for index in range(WRITERS)
    ]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    done.set()
    for thread in readers:
        thread.join(timeout=120)
    assert not errors, errors

    everything = list(store.iter_all())
    ids = [event.event_id for event in everything]
    assert len(ids) == len(set(ids)) >= WRITERS * TRANSACTIONS
    assert [event.event_id for event in tailed] == ids  # nothing missed, doubled or reordered
    assert published == ids  # the relay's order is the same order
    for stream in [StreamId("enterprise", f"w{i}") for i in range(WRITERS)] + SHARED:
        versions = [e.version for e in everything if e.stream == stream]
        assert versions == list(range(1, len(versions) + 1))
    assert store.verify() == []


def test_a_late_commit_holds_back_what_committed_after_it_and_is_read_first(
    postgres_store: SqlEventStore,
) -> None:
    store = postgres_store
    late, early = StreamId("enterprise", "late"), StreamId("enterprise", "early")
    with store.transaction() as conn:
        (first,) = store.append(late, sample("late", 0), 0, inspector(), conn=conn)
        (second,) = store.append(early, sample("early", 0), 0, inspector())  # commits first
        assert store.outbox_batch() == []  # held back behind the running transaction
    assert [m.event_id for m in store.outbox_batch()] == [first.event_id, second.event_id]
    assert [e.event_id for e in store.read_all()] == [first.event_id, second.event_id]


def test_a_stream_continued_by_an_older_transaction_still_reads_in_version_order(
    postgres_store: SqlEventStore,
) -> None:
    """An older transaction (smaller id) appends version 2 after a newer one committed
    version 1: the stream's head carries the newer key, so version 2 still reads after 1."""
    store = postgres_store
    stream, elsewhere = StreamId("enterprise", "shared"), StreamId("enterprise", "elsewhere")
    with store.transaction() as conn:
        store.append(elsewhere, sample("old", 0), 0, inspector(), conn=conn)  # takes its id
        (one,) = store.append(stream, sample("new", 0), 0, inspector())  # newer, commits
        (two,) = store.append(stream, sample("old", 1), 1, inspector(), conn=conn)
    order = [e.event_id for e in store.read_all() if e.stream == stream]
    assert order == [one.event_id, two.event_id]
    assert [m.event_id for m in store.outbox_batch()][-2:] == [one.event_id, two.event_id]
