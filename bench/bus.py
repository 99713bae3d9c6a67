"""Helpers of the bus benches: a private nats-server, a filled outbox, pipelined publishing."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import PubAck

from bench.common import InspectionNoted, bench_registry, payload
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_shared.eventstore.sql import OutboxMessage, SqlEventStore
from ccc_shared.runtime.embedded_nats import EmbeddedNats

CONTEXT = "bench"
MESSAGES = 20_000
STREAMS = 100
PER_COMMAND = 100
ACTOR = Actor(id="inspector-1", role="inspector", name="王检查员")


@asynccontextmanager
async def private_nats() -> AsyncIterator[tuple[NatsClient, JetStreamContext]]:
    """A nats-server of our own (127.0.0.1, data in a temp folder), stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="ccc-bench-nats-") as folder:
        server = EmbeddedNats(Path(folder))
        server.start()
        try:
            client = await nats.connect(server.url, max_reconnect_attempts=0)
            try:
                yield client, client.jetstream()
            finally:
                await client.close()
        finally:
            server.cleanup()


def sqlite_store(folder: str, name: str) -> SqlEventStore:
    """A migrated SQLite store in ``folder`` that knows the bench event."""
    store = SqlEventStore(
        f"sqlite:///{folder}/{name}.db", registry=bench_registry, source="bench", context=CONTEXT
    )
    store.migrate()
    return store


class OutboxFiller:
    """Appends bench events (100 per command, round robin over 100 streams) to a store."""

    def __init__(self, store: SqlEventStore) -> None:
        self.store = store
        self.streams = [StreamId("inspection", f"case-{index}") for index in range(STREAMS)]
        self.versions = [0] * STREAMS
        self.sequence = 0

    def fill(self, count: int) -> None:
        """Append ``count`` events (a multiple of 100), which all land in the outbox."""
        for command in range(count // PER_COMMAND):
            index = command % STREAMS
            first = self.sequence
            new_events = [InspectionNoted(**payload(s)) for s in range(first, first + PER_COMMAND)]
            self.sequence += PER_COMMAND
            self.store.append(
                self.streams[index], new_events, self.versions[index], EventMetadata(actor=ACTOR)
            )
            self.versions[index] += PER_COMMAND


async def publish_pipelined(
    js: JetStreamContext, stream: str, messages: Sequence[OutboxMessage]
) -> list[PubAck]:
    """The raw baseline: publish_async every message (Nats-Msg-Id set), then await all acks."""
    futures: list[asyncio.Future[PubAck]] = []
    for message in messages:
        futures.append(
            await js.publish_async(
                message.subject,
                message.body,
                headers={"Nats-Msg-Id": message.event_id},
                stream=stream,
            )
        )
    return list(await asyncio.gather(*futures))
