"""Runner bench: SubscriptionRunner writing an SQLite projection vs raw pull fetch(256) + ack.

20k bench events are published once (not timed) into one stream on a nats-server of our own.
Each repetition, each side reads all of them through a fresh durable pull consumer. The raw
side only fetches and acks. The runner parses each message into a typed event, runs a handler
doing one projection upsert per event in its SQLite transaction (with its processed-events
ledger and checkpoint), commits, then acks.
"""

from __future__ import annotations

import asyncio
import tempfile
import time

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select
from sqlalchemy.dialects.sqlite import insert

from bench.bus import CONTEXT, MESSAGES, OutboxFiller, private_nats, publish_pipelined, sqlite_store
from bench.common import REPEATS, InspectionNoted, Row, bench_registry, median_rate
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging.runner import SubscriptionRunner
from ccc_shared.messaging.streams import context_subjects, event_stream

TARGET = 0.6
FETCH = 256
STREAM = "BENCH_RUNNER"

projection = MetaData()
summary = Table(
    "inspection_summary",
    projection,
    Column("aggregate_id", String(128), primary_key=True),
    Column("notes", Integer, nullable=False),
    Column("last_sequence", Integer, nullable=False),
)
_upsert = insert(summary)
UPSERT = _upsert.on_conflict_do_update(
    index_elements=[summary.c.aggregate_id],
    set_={"notes": summary.c.notes + 1, "last_sequence": _upsert.excluded.last_sequence},
)


def project(event: RecordedEvent, conn: Connection) -> None:
    """The trivial projection: one upserted row per aggregate."""
    data = event.data
    assert isinstance(data, InspectionNoted)
    conn.execute(
        UPSERT, {"aggregate_id": event.aggregate_id, "notes": 1, "last_sequence": data.sequence}
    )


async def publish_all(js: JetStreamContext, folder: str) -> None:
    """Fill a store's outbox with the bench events and publish them once (not timed)."""
    source = sqlite_store(folder, "source")
    try:
        OutboxFiller(source).fill(MESSAGES)
        await js.add_stream(event_stream(CONTEXT, name=STREAM))
        await publish_pipelined(js, STREAM, source.outbox_batch(MESSAGES))
    finally:
        source.close()


async def raw_consume(
    js: JetStreamContext, durable: str, *, stream: str = STREAM, context: str = CONTEXT
) -> int:
    """The baseline: a fresh durable pull consumer, fetch(256) and ack each message."""
    config = ConsumerConfig(
        durable_name=durable,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        filter_subjects=[context_subjects(context)],
        max_ack_pending=4 * FETCH,
    )
    await js.add_consumer(stream, config)
    subscription = await js.pull_subscribe_bind(durable=durable, stream=stream)
    count = 0
    while count < MESSAGES:
        for message in await subscription.fetch(FETCH, timeout=5):
            await message.ack()
            count += 1
    await subscription.unsubscribe()
    return count


async def runner_consume(js: JetStreamContext, store: SqlEventStore, durable: str) -> int:
    """Ours: a fresh SubscriptionRunner, batches of 256, until every event was projected."""
    runner = SubscriptionRunner(
        store,
        js,
        name=durable,
        stream=STREAM,
        filter_subjects=[context_subjects(CONTEXT)],
        registry=bench_registry,
        handler=project,
        batch_size=FETCH,
        fetch_timeout=5.0,
    )
    while runner.metrics.processed < MESSAGES:
        await runner.run_once()
    return runner.metrics.processed


def projected(store: SqlEventStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.sum(summary.c.notes))).scalar_one())


async def bench() -> tuple[list[float], list[float]]:
    ours: list[float] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ccc-bench-runner-") as folder:
        async with private_nats() as (_client, js):
            await publish_all(js, folder)
            for rep in range(REPEATS):
                started = time.perf_counter()
                count = await raw_consume(js, f"raw_{rep}")
                baseline.append(count / (time.perf_counter() - started))

                store = sqlite_store(folder, f"projection_{rep}")  # a fresh read model each time
                try:
                    projection.create_all(store.engine)
                    started = time.perf_counter()
                    count = await runner_consume(js, store, f"runner_{rep}")
                    ours.append(count / (time.perf_counter() - started))
                    assert count == MESSAGES == projected(store), (count, projected(store))
                finally:
                    store.close()
    return ours, baseline


def run() -> list[Row]:
    """One row: the runner with its projection vs raw fetch + ack."""
    ours, baseline = asyncio.run(bench())
    return [
        Row(
            f"runner -> SQLite projection vs fetch({FETCH})+ack ({MESSAGES // 1000}k msgs)",
            median_rate(ours),
            median_rate(baseline),
            TARGET,
        )
    ]
