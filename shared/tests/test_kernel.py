"""A service's kernel: relay and runners started with the app, stopped gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest
from messaging_support import (
    append_events,
    connect,
    eventually,
    expected_projection,
    make_producer,
    read_projection,
    stream_messages,
)
from sqlalchemy import create_engine, func, select

from ccc_shared.eventstore.schema import processed_events
from ccc_shared.messaging import OutboxRelay, event_stream, stream_name
from ccc_shared.runtime.embedded_nats import EmbeddedNats

pytestmark = pytest.mark.integration
WORKER = Path(__file__).with_name("kernel_worker.py")


async def test_sigterm_lets_the_in_flight_batch_commit_and_ack_then_a_restart_finishes(
    embedded_nats: EmbeddedNats, database_url: str, tmp_path: Path
) -> None:
    producer = make_producer(f"sqlite:///{tmp_path / 'producer.db'}", "reg")
    written = append_events(producer, "e1", 60) + append_events(producer, "e2", 60)
    nc = await connect(embedded_nats.url)
    js = nc.jetstream()
    assert await OutboxRelay(producer, js, event_stream("reg")).publish_pending() == 120

    worker = await start(embedded_nats.url, database_url, sleep=0.02)
    assert worker.stdout is not None
    assert (await asyncio.wait_for(worker.stdout.readline(), 30)).strip() == b"HANDLING"
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(worker.wait(), 30) == 0, "the service did not stop cleanly"

    consumer = create_engine(database_url)
    partial = sum(count for count, _ in read_projection(consumer).values())
    with consumer.connect() as conn:
        ledger = conn.execute(select(func.count()).select_from(processed_events)).scalar_one()
    info = await js.consumer_info(stream_name("reg"), "consumer-projection")
    assert partial >= 50, "the in-flight batch was not committed"
    assert ledger == partial, "effects and processed ids committed apart"
    assert info.num_ack_pending == 0, "committed messages were left unacknowledged"
    assert info.delivered.stream_seq == partial, "more was taken than committed and acked"

    worker = await start(embedded_nats.url, database_url)

    def caught_up() -> bool:
        return sum(count for count, _ in read_projection(consumer).values()) == 120

    await eventually(caught_up, what="catch-up")
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(worker.wait(), 30) == 0
    assert read_projection(consumer) == expected_projection(written)
    assert len(await stream_messages(js, stream_name("reg"))) == 120
    await nc.close()
    consumer.dispose()
    producer.close()


async def start(nats_url: str, database_url: str, sleep: float = 0.0) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), "--nats", nats_url, "--db", database_url, "--context", "reg",
        "--sleep", str(sleep), "--batch", "50", stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
