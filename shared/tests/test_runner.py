"""The subscription runner on a real nats-server: exactly once through crashes, replays, poison."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import structlog
from messaging_support import (
    FAIL_NOTE,
    SampleRecorded,
    append_events,
    connect,
    create_projection,
    eventually,
    expect_line,
    expected_projection,
    kill,
    make_producer,
    projection_handler,
    read_projection,
    same_content,
    sample_registry,
    start_worker,
    unique_context,
)
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import Connection

from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import (
    DEADLETTER_STREAM,
    Ledger,
    OutboxRelay,
    SubscriptionRunner,
    event_stream,
    stream_name,
)
from ccc_shared.messaging.deadletter import ORIGINAL_SEQUENCE, REASON
from ccc_shared.runtime.logging import configure_logging
from ccc_shared.runtime.settings import sqlite_url

pytestmark = pytest.mark.integration


@pytest.fixture
def context() -> str:
    return unique_context()


@pytest.fixture
def producer(tmp_path: Path, context: str) -> Iterator[SqlEventStore]:
    """The publishing service's store (SQLite); the consumer's store is the parametrised one."""
    store = make_producer(sqlite_url(tmp_path / "producer.db"), context)
    yield store
    store.close()


@pytest.fixture
def consumer(database_url: str) -> Iterator[SqlEventStore]:
    store = SqlEventStore(
        database_url, registry=sample_registry, source="consumer", context="consumer"
    )
    store.migrate()
    create_projection(store.engine)
    yield store
    store.close()


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[NatsClient]:
    client = await connect(nats_url)
    yield client
    await client.close()


async def publish(producer: SqlEventStore, nc: NatsClient, context: str) -> None:
    """Publish everything the producer has stored."""
    await OutboxRelay(producer, nc, event_stream(context)).publish_pending()


def make_runner(
    consumer: SqlEventStore, js: JetStreamContext, context: str, name: str, **options: object
) -> SubscriptionRunner:
    settings: dict[str, object] = {"batch_size": 50, "ack_wait": 2.0, "backoff": (0.1,)}
    settings.update(options)
    return SubscriptionRunner(
        consumer,
        js,
        name=name,
        stream=stream_name(context),
        filter_subjects=[f"ccc.{context}.>"],
        registry=sample_registry,
        handler=projection_handler(),
        **settings,  # type: ignore[arg-type]
    )


async def run_until_idle(runner: SubscriptionRunner, within: float = 30.0) -> None:
    """Run the runner until its consumer has nothing pending or unacknowledged, then stop it."""
    task = asyncio.create_task(runner.run())
    try:
        await runner.wait_idle(within)
    finally:
        await runner.stop()
        await task


def produce(producer: SqlEventStore, aggregates: int, per_aggregate: int) -> list[RecordedEvent]:
    events: list[RecordedEvent] = []
    for i in range(aggregates):
        events += append_events(producer, f"agg-{i}", per_aggregate)
    return events


@pytest.mark.timeout(60)
async def test_each_event_is_applied_once_and_a_replay_changes_nothing(
    producer: SqlEventStore, consumer: SqlEventStore, nc: NatsClient, context: str
) -> None:
    events = produce(producer, 5, 30)
    await publish(producer, nc, context)
    name = f"{context}-projection"
    runner = make_runner(consumer, nc.jetstream(), context, name)
    await run_until_idle(runner)
    assert runner.metrics.processed == 150
    assert read_projection(consumer.engine) == expected_projection(events)
    ledger = Ledger(consumer, name)
    assert ledger.processed_count() == 150
    assert ledger.checkpoint() == 150

    await nc.jetstream().delete_consumer(stream_name(context), name)  # replay the whole stream
    replay = make_runner(consumer, nc.jetstream(), context, name)
    await run_until_idle(replay)
    assert (replay.metrics.processed, replay.metrics.duplicates) == (0, 150)
    assert read_projection(consumer.engine) == expected_projection(events)


@pytest.mark.timeout(90)
async def test_a_subscriber_killed_mid_batch_and_after_commit_leaves_the_projection_as_if_run_once(
    producer: SqlEventStore,
    consumer: SqlEventStore,
    nc: NatsClient,
    context: str,
    nats_url: str,
    database_url: str,
) -> None:
    events = produce(producer, 6, 50)
    await publish(producer, nc, context)
    name = f"{context}-projection"
    ledger = Ledger(consumer, name)
    arguments = ["subscribe", "--nats", nats_url, "--db", database_url, "--context", context,
                 "--stream", stream_name(context), "--name", name, "--batch", "40"]  # fmt: skip

    first = await start_worker(*arguments, "--sleep", "0.01")  # ~0.4 s per batch
    try:
        assert await expect_line(first) == "READY"
        await eventually(lambda: ledger.processed_count() >= 40, what="a first batch committed")
        await asyncio.sleep(0.2)  # well inside the next batch
    finally:
        await kill(first)
    applied = ledger.processed_count()
    assert 40 <= applied < 300

    second = await start_worker(*arguments, "--hang-after-commit", "1")
    try:
        assert await expect_line(second) == "READY"
        assert await expect_line(second) == "COMMITTED 1"  # committed, never acknowledged
    finally:
        await kill(second)
    assert ledger.processed_count() > applied

    runner = make_runner(consumer, nc.jetstream(), context, name, batch_size=40)
    await run_until_idle(runner)  # redeliveries come after ack_wait (2 s)
    assert runner.metrics.duplicates >= 40  # the batch the second worker committed
    assert ledger.processed_count() == 300
    assert same_content(read_projection(consumer.engine), expected_projection(events))


async def dead_letters(js: JetStreamContext, consumer: str) -> list[dict[str, str]]:
    """Headers (plus the body) of every dead letter of a consumer."""
    subscription = await js.pull_subscribe(f"ccc.deadletter.{consumer}.>", stream=DEADLETTER_STREAM)
    letters: list[dict[str, str]] = []
    try:
        while True:
            for message in await subscription.fetch(50, timeout=0.5):
                letters.append({**(message.headers or {}), "body": message.data.decode()})
                await message.ack()
    except TimeoutError:
        return letters
    finally:
        await subscription.unsubscribe()


@pytest.mark.timeout(60)
async def test_poison_messages_are_dead_lettered_with_their_reason_and_the_next_is_processed(
    producer: SqlEventStore, consumer: SqlEventStore, nc: NatsClient, context: str
) -> None:
    js = nc.jetstream()
    good = append_events(producer, "good", 1)
    failing = append_events(producer, "failing", 1, note=FAIL_NOTE)
    await publish(producer, nc, context)
    wire = json.loads(good[0].to_json())
    subject = f"ccc.{context}.probe.poison.SampleRecorded"
    unknown = {**wire, "event_id": "0190f000-0000-7000-8000-000000000001", "event_type": "Nope"}
    invalid = {**wire, "event_id": "0190f000-0000-7000-8000-000000000002", "data": {"writer": 5}}
    for body in (b"{not json", json.dumps(unknown).encode(), json.dumps(invalid).encode()):
        await js.publish(subject, body, stream=stream_name(context))
    after = append_events(producer, "after", 2)
    await publish(producer, nc, context)

    name = f"{context}-projection"
    runner = make_runner(consumer, js, context, name, max_deliver=2, batch_size=10)
    await run_until_idle(runner)

    assert runner.metrics.dead_lettered == 4
    assert runner.metrics.processed == 3
    assert read_projection(consumer.engine) == expected_projection([*good, *after])
    letters = {int(letter[ORIGINAL_SEQUENCE]): letter for letter in await dead_letters(js, name)}
    reasons = {sequence: letter[REASON] for sequence, letter in sorted(letters.items())}
    assert list(reasons) == [2, 3, 4, 5]
    assert reasons[2] == f"handler failed 2 times: RuntimeError: {FAIL_NOTE}"
    assert reasons[3].startswith("invalid event: ValidationError")
    assert "Invalid JSON" in reasons[3]
    assert reasons[4].startswith("invalid event: UnknownEventTypeError")
    assert reasons[5].startswith("invalid event: ValidationError")
    assert letters[3]["body"] == "{not json"
    assert letters[2]["Ccc-Original-Msg-Id"] == str(failing[0].event_id)
    assert letters[2]["Ccc-Delivery-Count"] == "2"
    assert {letter["Ccc-Consumer"] for letter in letters.values()} == {name}


@pytest.mark.timeout(60)
async def test_reactions_appended_by_the_handler_commit_with_the_checkpoint_exactly_once(
    producer: SqlEventStore, consumer: SqlEventStore, nc: NatsClient, context: str
) -> None:
    events = append_events(producer, "cause", 20)
    append_events(producer, "cause-failing", 1, note=FAIL_NOTE)
    await publish(producer, nc, context)

    def react(event: RecordedEvent, conn: Connection) -> None:
        """Record a reaction in the consumer's own store, then fail on FAIL_NOTE."""
        stream = StreamId("reaction", f"{event.aggregate_id}-{event.version}")
        reaction = SampleRecorded(writer="consumer", sequence=event.version)
        metadata = EventMetadata.caused_by(event, Actor.service("consumer"))
        consumer.append(stream, [reaction], 0, metadata, conn=conn)
        projection_handler()(event, conn)

    name = f"{context}-reactor"
    for _ in range(2):  # the second run replays the whole stream
        with contextlib.suppress(NotFoundError):
            await nc.jetstream().delete_consumer(stream_name(context), name)
        runner = make_runner(consumer, nc.jetstream(), context, name, max_deliver=1)
        runner.handler = react
        await run_until_idle(runner)
        assert runner.metrics.dead_lettered == 1

    reactions = [e for e in consumer.iter_all() if e.aggregate_type == "reaction"]
    assert [e.causation_id for e in reactions] == [e.event_id for e in events]
    assert not [e for e in reactions if e.aggregate_id.startswith("cause-failing")]  # rolled back
    assert consumer.outbox_size() == 20


@pytest.mark.timeout(60)
async def test_log_lines_written_by_handlers_carry_the_event_and_correlation_ids(
    producer: SqlEventStore, consumer: SqlEventStore, nc: NatsClient, context: str
) -> None:
    events = append_events(producer, "logged", 5)
    failing = append_events(producer, "logged-failing", 1, note=FAIL_NOTE)
    await publish(producer, nc, context)
    handle = projection_handler()

    def logging_handler(event: RecordedEvent, conn: Connection) -> None:
        structlog.get_logger("test.handler").info("handling", seen=event.event_id)
        logging.getLogger("test.stdlib").info("stdlib handling %s", event.event_id)
        handle(event, conn)

    output = io.StringIO()
    configure_logging("json", "INFO", stream=output)
    try:
        runner = make_runner(consumer, nc.jetstream(), context, f"{context}-logs", max_deliver=1)
        runner.handler = logging_handler
        await run_until_idle(runner)  # one batch: optimistic pass, then the safe one
        structlog.get_logger("test").info("after the runner")
    finally:
        logging.getLogger().handlers.clear()
        structlog.reset_defaults()

    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    correlation = {e.event_id: e.correlation_id for e in [*events, *failing]}
    handled = [line for line in lines if line["event"] == "handling"]
    for line in handled:
        assert line["event_id"] == line["seen"]
        assert line["correlation_id"] == correlation[line["seen"]]
    stdlib = [line for line in lines if line["event"].startswith("stdlib handling")]
    assert stdlib
    for line in stdlib:
        assert line["event"] == f"stdlib handling {line['event_id']}"
        assert line["correlation_id"] == correlation[line["event_id"]]
    seen = [line["seen"] for line in handled]
    assert all(seen.count(e.event_id) == 2 for e in events)  # in both passes
    failed = [line for line in lines if line["event"] == "handler failed"]
    assert [line["event_id"] for line in failed] == [failing[0].event_id]
    assert failed[0]["correlation_id"] == failing[0].correlation_id
    assert lines[-1]["event"] == "after the runner"
    assert "event_id" not in lines[-1]
    assert runner.metrics.processed == 5
    assert runner.metrics.dead_lettered == 1
