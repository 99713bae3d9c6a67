"""Relay bench: OutboxRelay draining a filled outbox vs raw pipelined ``publish_async``.

Both sides publish the same messages (subjects ``ccc.bench.inspection.<id>.InspectionNoted``,
the same wire bodies, ``Nats-Msg-Id`` = event id) into a fresh stream per repetition, on a
nats-server of our own. The relay's outbox is filled first (not timed); the relay's time runs
until every message is acked by the stream and marked published in the store (SQLite).
"""

from __future__ import annotations

import asyncio
import tempfile
import time

from nats.js import JetStreamContext

from bench.bus import CONTEXT, MESSAGES, OutboxFiller, private_nats, publish_pipelined, sqlite_store
from bench.common import REPEATS, Row, median_rate
from ccc_shared.messaging.relay import OutboxRelay
from ccc_shared.messaging.streams import event_stream

TARGET = 0.7


async def fresh_stream(js: JetStreamContext, name: str) -> str:
    """Create an empty stream for ``ccc.bench.>`` (the previous one was deleted)."""
    await js.add_stream(event_stream(CONTEXT, name=name))
    return name


async def check_and_drop(js: JetStreamContext, stream: str) -> None:
    """Every message must be in the stream once; then drop the stream."""
    info = await js.stream_info(stream)
    assert info.state.messages == MESSAGES, (stream, info.state.messages)
    await js.delete_stream(stream)


async def bench() -> tuple[list[float], list[float]]:
    ours: list[float] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ccc-bench-relay-") as folder:
        store = sqlite_store(folder, "relay")
        filler = OutboxFiller(store)
        try:
            async with private_nats() as (client, js):
                for rep in range(REPEATS):
                    filler.fill(MESSAGES)
                    messages = store.outbox_batch(MESSAGES)  # the baseline's copy (not timed)
                    assert len(messages) == MESSAGES

                    stream = await fresh_stream(js, f"BENCH_RAW_{rep}")
                    started = time.perf_counter()
                    acks = await publish_pipelined(js, stream, messages)
                    baseline.append(MESSAGES / (time.perf_counter() - started))
                    assert not any(ack.duplicate for ack in acks)
                    await check_and_drop(js, stream)

                    stream = await fresh_stream(js, f"BENCH_RELAY_{rep}")
                    relay = OutboxRelay(store, client, stream)
                    started = time.perf_counter()
                    published = await relay.publish_pending()
                    ours.append(MESSAGES / (time.perf_counter() - started))
                    assert published == MESSAGES, published
                    assert store.outbox_size() == 0
                    await check_and_drop(js, stream)
        finally:
            store.close()
    return ours, baseline


def run() -> list[Row]:
    """One row: relay vs raw pipelined publish."""
    ours, baseline = asyncio.run(bench())
    return [
        Row(
            f"relay outbox -> JetStream ({MESSAGES // 1000}k msgs, SQLite outbox)",
            median_rate(ours),
            median_rate(baseline),
            TARGET,
        )
    ]
