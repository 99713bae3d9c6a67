"""The outbox relay against a real nats-server: exactly once, in commit order, through failures."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
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
from nats.js.api import PubAck

from ccc_shared.eventstore.sql import OutboxMessage, SqlEventStore
from ccc_shared.messaging import (
    OutboxRelay,
    RelayPublishError,
    ensure_stream,
    event_stream,
    stream_name,
)
from ccc_shared.messaging.relay import UNCHAINED_AFTER
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


class DroppingRelay(OutboxRelay):
    """A relay that does not send the events ``drop`` picks, once each, as if lost in a socket."""

    def __init__(self, *args: Any, drop: Callable[[OutboxMessage], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop = drop
        self.dropped: set[str] = set()

    async def _send(self, message: OutboxMessage, previous: str) -> asyncio.Future[PubAck]:
        if message.event_id not in self.dropped and self.drop(message):
            self.dropped.add(message.event_id)
            return asyncio.get_running_loop().create_future()  # its ack never comes
        return await super()._send(message, previous)


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
    stopped_at, failed_at = relay.published, relay.failures
    # writers keep appending during the outage; the relay tries twice more and publishes nothing
    await eventually(lambda: relay.failures >= failed_at + 2, what="two more failed passes")
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


@pytest.mark.timeout(60)
async def test_an_event_lost_mid_batch_the_later_ones_are_refused_then_sent_in_order(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    nc = await connect(nats_url)
    append_events(store, "a", 30)
    append_events(store, "b", 20)
    pending = store.outbox_batch(50)
    lost = pending[21]  # in the second batch of 16: 16..20 get through, 22..31 must not
    relay = DroppingRelay(
        store, nc, event_stream(context), batch_size=16, ack_timeout=20,
        drop=lambda message: message.event_id == lost.event_id,
    )  # fmt: skip
    with pytest.raises(RelayPublishError, match=lost.event_id):
        await relay.publish_pending()
    assert relay.refused > 0
    assert store.outbox_size() == 29
    messages = await stream_messages(nc.jetstream(), relay.stream)
    assert [m.msg_id for m in messages] == [m.event_id for m in pending[:21]]
    assert await relay.publish_pending() == 29
    assert store.outbox_size() == 0
    assert_exactly_once_in_commit_order(await stream_messages(nc.jetstream(), relay.stream), store)
    await nc.close()


@pytest.mark.timeout(90)
async def test_events_lost_in_many_batches_while_writers_append_arrive_once_in_order(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    nc = await connect(nats_url)
    relay = DroppingRelay(
        store, nc, event_stream(context), batch_size=32, poll_interval=0.1, backoff=(0.05,),
        drop=lambda message: message.position % 53 == 0, ack_timeout=1.0,
    )  # fmt: skip  # a lost last event of a batch has no refusal after it: its ack times out
    running = asyncio.create_task(relay.run())
    threads = writers(store, 4, 100)
    for thread in threads:
        thread.start()
    await asyncio.to_thread(lambda: [thread.join() for thread in threads])
    await eventually(lambda: store.outbox_size() == 0, within=30, what="outbox drained")
    await relay.stop()
    await running
    messages = await stream_messages(nc.jetstream(), relay.stream)
    assert len(messages) == 400
    assert_exactly_once_in_commit_order(messages, store)
    assert len(relay.dropped) >= 7, relay.dropped
    await nc.close()


@pytest.mark.timeout(60)
async def test_an_outside_publisher_is_logged_and_the_relay_goes_on(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    nc = await connect(nats_url)
    js = nc.jetstream()
    relay = OutboxRelay(store, nc, event_stream(context), batch_size=16)
    append_events(store, "a", 20)
    assert await relay.publish_pending() == 20
    await js.publish(f"ccc.{context}.outsider.a", b"{}", headers={"Nats-Msg-Id": "outside-1"})
    await js.publish(f"ccc.{context}.outsider.b", b"{}")  # and one without a message id
    append_events(store, "b", 20)
    with structlog.testing.capture_logs() as logs:
        with pytest.raises(RelayPublishError):
            await relay.publish_pending()
        assert await relay.publish_pending() == 20
    events = [entry["event"] for entry in logs]
    assert "the stream's last message was not published by this relay" in events
    assert store.outbox_size() == 0
    messages = await stream_messages(js, relay.stream)
    assert [m.subject.split(".")[2] for m in messages[20:22]] == ["outsider", "outsider"]
    assert_exactly_once_in_commit_order(messages[:20] + messages[22:], store)
    await nc.close()


@pytest.mark.timeout(60)
async def test_a_deleted_tail_the_relay_goes_unchained_once_instead_of_looping(
    store: SqlEventStore, context: str, nats_url: str
) -> None:
    """The server then expects the deleted message's id, which the stream no longer shows."""
    nc = await connect(nats_url)
    js = nc.jetstream()
    config = dataclasses.replace(event_stream(context), deny_delete=False)
    relay = OutboxRelay(store, nc, config, batch_size=16)
    append_events(store, "a", 10)
    assert await relay.publish_pending() == 10
    await js.delete_msg(relay.stream, 10)
    append_events(store, "b", 10)
    relay = OutboxRelay(store, nc, config, batch_size=16)  # restarted: it re-syncs first
    for _ in range(UNCHAINED_AFTER):
        with pytest.raises(RelayPublishError):
            await relay.publish_pending()
    assert await relay.publish_pending() == 10
    assert store.outbox_size() == 0
    stored = [str(event.event_id) for event in store.iter_all()]
    messages = await stream_messages(js, relay.stream)
    assert [m.msg_id for m in messages] == stored[:9] + stored[10:]
    await nc.close()
