"""The outbox relay against a real nats-server: exactly once, in commit order, through failures."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from messaging_support import (
    append_events,
    assert_exactly_once_in_commit_order,
    connect,
    eventually,
    expect_line,
    kill,
    make_producer,
    start_worker,
    stream_messages,
    unique_context,
)

from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import OutboxRelay, ensure_stream, event_stream, stream_name
from ccc_shared.runtime.embedded_nats import EmbeddedNats

pytestmark = pytest.mark.integration


@pytest.fixture
def context() -> str:
    return unique_context()


@pytest.fixture
def store(database_url: str, context: str) -> Iterator[SqlEventStore]:
    store = make_producer(database_url, context)
    yield store
    store.close()


def writers(store: SqlEventStore, count: int, per_writer: int) -> list[threading.Thread]:
    """Threads appending ``per_writer`` events each to their own aggregate."""
    return [
        threading.Thread(target=append_events, args=(store, f"agg-{i}", per_writer))
        for i in range(count)
    ]


@pytest.mark.timeout(60)
async def test_publish_pending_publishes_in_order_and_a_second_pass_sends_nothing(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    nc = await connect(nats_url)
    append_events(store, "a", 30)
    append_events(store, "b", 20)
    relay = OutboxRelay(store, nc, event_stream(context), batch_size=16)
    assert await relay.publish_pending() == 50
    assert await relay.publish_pending() == 0
    assert store.outbox_size() == 0
    assert_exactly_once_in_commit_order(await stream_messages(nc.jetstream(), relay.stream), store)
    await nc.close()


@pytest.mark.timeout(90)
async def test_concurrent_writers_while_the_relay_runs_nothing_skipped_or_doubled(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    nc = await connect(nats_url)
    relay = OutboxRelay(store, nc, event_stream(context), batch_size=32, poll_interval=0.2)
    running = asyncio.create_task(relay.run())
    threads = writers(store, 4, 100)
    for thread in threads:
        thread.start()
    await asyncio.to_thread(lambda: [thread.join() for thread in threads])
    await eventually(lambda: store.outbox_size() == 0, what="outbox drained")
    await relay.stop()
    await running
    messages = await stream_messages(nc.jetstream(), relay.stream)
    assert len(messages) == 400
    assert_exactly_once_in_commit_order(messages, store)
    await nc.close()


@pytest.mark.timeout(120)
async def test_nats_stopped_and_restarted_mid_run_every_event_arrives_once(
    store: SqlEventStore, context: str, embedded_nats: EmbeddedNats
) -> None:
    nc = await connect(embedded_nats.url)
    relay = OutboxRelay(
        store, nc, event_stream(context), batch_size=16, poll_interval=0.1, backoff=(0.1, 0.2)
    )
    running = asyncio.create_task(relay.run())
    threads = writers(store, 4, 120)
    for thread in threads:
        thread.start()
    await eventually(lambda: relay.published >= 40, what="some events published")
    failures_before = relay.failures
    await asyncio.to_thread(embedded_nats.stop)
    # ``published`` counts a batch once its acked prefix is marked in the store, which can wait
    # on the writers' SQLite lock well after the acks came in: a fixed pause is not enough. Once
    # the relay has failed a pass, its batch in flight is settled and nothing more can be acked.
    await eventually(lambda: relay.failures > failures_before, what="the outage noticed")
    stopped_at = relay.published
    await asyncio.sleep(1.0)  # writers keep appending during the outage
    assert relay.published == stopped_at
    assert store.outbox_size() > 0
    await asyncio.to_thread(embedded_nats.start)
    await asyncio.to_thread(lambda: [thread.join() for thread in threads])
    await eventually(lambda: store.outbox_size() == 0, within=30, what="outbox drained")
    await relay.stop()
    await running
    assert relay.failures > 0
    messages = await stream_messages(nc.jetstream(), relay.stream)
    assert len(messages) == 480
    assert_exactly_once_in_commit_order(messages, store)
    await nc.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("window", [120.0, 0.5], ids=["dedup-window", "window-expired"])
async def test_relay_killed_between_publish_and_mark_then_a_fresh_relay_finishes_once(
    store: SqlEventStore, context: str, nats_url: str, database_url: str, window: float
) -> None:
    append_events(store, "a", 70)
    append_events(store, "b", 50)
    worker = await start_worker(
        "relay", "--nats", nats_url, "--db", database_url, "--context", context,
        "--window", str(window), "--batch", "50",
    )  # fmt: skip
    try:
        assert await expect_line(worker) == "PUBLISHED 50"
    finally:
        await kill(worker)
    assert store.outbox_size() == 120  # published, but not recorded as such
    await asyncio.sleep(window + 0.5 if window < 10 else 0)  # let the server forget the ids
    nc = await connect(nats_url)
    config = event_stream(context, duplicate_window=window)
    await ensure_stream(nc.jetstream(), config)
    assert (await nc.jetstream().stream_info(stream_name(context))).state.messages == 50
    relay = OutboxRelay(store, nc, config, batch_size=50)
    assert await relay.publish_pending() == 70
    assert store.outbox_size() == 0
    messages = await stream_messages(nc.jetstream(), relay.stream)
    assert len(messages) == 120
    assert_exactly_once_in_commit_order(messages, store)
    await nc.close()
