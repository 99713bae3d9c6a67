"""Tamper evidence: verify names the first changed, removed, reordered or inserted event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, insert, select, update

from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_contracts.hashing import event_hash
from ccc_shared.eventstore.schema import events
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store

pytestmark = pytest.mark.integration
STREAM = StreamId("certificate", "2020010901234567")
OTHER = StreamId("enterprise", "91350100M000100Y43")


@pytest.fixture
def store(database_url: str) -> Iterator[SqlEventStore]:
    store = make_store(database_url)
    for stream in (OTHER, STREAM):
        store.append(
            stream, [SampleRecorded(writer="w", sequence=i) for i in range(5)], 0, inspector()
        )
    assert store.verify() == []
    yield store
    store.close()


def row(store: SqlEventStore, version: int) -> RecordedEvent:
    return store.load(STREAM)[version - 1]


def only_finding(store: SqlEventStore) -> tuple[str, int, str | None]:
    (finding,) = store.verify()
    assert (finding.aggregate_type, finding.aggregate_id) == STREAM
    return finding.kind, finding.version, finding.event_id


def where(version: int) -> object:
    return (events.c.aggregate_id == STREAM.aggregate_id) & (events.c.version == version)


def test_a_changed_payload_is_named(store: SqlEventStore) -> None:
    target = row(store, 3)
    with store.engine.begin() as conn:
        conn.execute(update(events).where(where(3)).values(data='{"writer":"w","sequence":99}'))
    assert only_finding(store) == ("changed", 3, str(target.event_id))


def test_a_changed_actor_is_named_even_with_a_recomputed_own_hash(store: SqlEventStore) -> None:
    target = row(store, 2)
    with store.engine.begin() as conn:
        original = conn.execute(select(events).where(where(2))).one()._asdict()
        forged = {**original, "actor": '{"id":"someone-else","role":"auditor","name":null}'}
        new_hash = event_hash(forged["prev_hash"], **{k: forged[k] for k in HASHED})
        conn.execute(update(events).where(where(2)).values(actor=forged["actor"], hash=new_hash))
    # its own hash now matches, but the next event still chains from the original hash
    assert only_finding(store) == ("changed", 2, str(target.event_id))


def test_a_deleted_event_is_named_by_the_one_that_followed_it(store: SqlEventStore) -> None:
    follower = row(store, 4)
    with store.engine.begin() as conn:
        conn.execute(delete(events).where(where(3)))
    assert only_finding(store) == ("removed", 4, str(follower.event_id))


def test_a_deleted_last_event_is_caught_by_the_head_checkpoint(store: SqlEventStore) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(events).where(where(5)))
    assert only_finding(store) == ("removed", 5, None)


def test_two_swapped_events_are_named(store: SqlEventStore) -> None:
    second, third = row(store, 2), row(store, 3)
    with store.engine.begin() as conn:
        conn.execute(update(events).where(where(2)).values(version=-2))
        conn.execute(update(events).where(where(3)).values(version=2))
        conn.execute(update(events).where(where(-2)).values(version=3))
    assert only_finding(store) == ("reordered", 2, str(third.event_id))
    assert second.event_id != third.event_id


def test_an_event_inserted_in_the_middle_is_named_even_when_its_hash_is_forged(
    store: SqlEventStore,
) -> None:
    with store.engine.begin() as conn:
        before = conn.execute(select(events).where(where(2))).one()._asdict()
        for version in (5, 4, 3):
            conn.execute(update(events).where(where(version)).values(version=version + 1))
        forged = {
            **before,
            "event_id": "01a00000-0000-7000-8000-000000000000",
            "version": 3,
            "data": '{"writer":"forger","sequence":0}',
            "prev_hash": before["hash"],
        }
        forged["hash"] = event_hash(forged["prev_hash"], **{k: forged[k] for k in HASHED})
        del forged["position"]
        conn.execute(insert(events).values(**forged))
    assert only_finding(store) == ("inserted", 3, "01a00000-0000-7000-8000-000000000000")


def test_an_event_appended_behind_the_stores_back_is_named(store: SqlEventStore) -> None:
    with store.engine.begin() as conn:
        last = conn.execute(select(events).where(where(5))).one()._asdict()
        forged = {
            **last,
            "event_id": "01a00000-0000-7000-8000-00000000000f",
            "version": 6,
            "prev_hash": last["hash"],
        }
        forged["hash"] = event_hash(forged["prev_hash"], **{k: forged[k] for k in HASHED})
        del forged["position"]
        conn.execute(insert(events).values(**forged))
    assert only_finding(store) == ("inserted", 6, "01a00000-0000-7000-8000-00000000000f")


HASHED = (
    "event_id",
    "event_type",
    "schema_version",
    "aggregate_type",
    "aggregate_id",
    "occurred_at",
    "recorded_at",
    "actor",
    "correlation_id",
    "causation_id",
    "source",
    "data",
)
