"""Helpers for the messaging tests and their worker processes: a tiny projection, bus access."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, String, Table, Text, select

from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_shared.eventstore.engine import READ_ONLY
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import Handler
from ccc_shared.testing.sample_events import SampleRecorded, inspector, sample_registry

__all__ = ["SampleRecorded", "inspector", "sample_registry"]

WORKER = Path(__file__).with_name("messaging_worker.py")
FAIL_NOTE = "boom"  # a SampleRecorded with this note makes the projection handler raise

projection_metadata = MetaData()
projection = Table(
    "test_projection",
    projection_metadata,
    Column("aggregate_id", String(128), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("event_ids", Text, nullable=False),
)


def unique_context() -> str:
    """A context of its own for one test, so its stream and subjects are private."""
    return f"t{uuid.uuid4().hex[:12]}"


async def connect(url: str) -> NatsClient:
    """A NATS client that keeps reconnecting quickly (for stop/restart tests)."""

    async def quiet(error: Exception) -> None:
        """Connection errors are expected while a test stops the server."""

    return await nats.connect(
        url,
        reconnect_time_wait=0.1,
        max_reconnect_attempts=-1,
        connect_timeout=2,
        error_cb=quiet,
    )


def create_projection(engine: Engine) -> None:
    """Create the test projection table in the consumer's database."""
    projection_metadata.create_all(engine)


def projection_handler(sleep: float = 0.0) -> Handler:
    """A handler counting events per aggregate and listing their ids (raises on FAIL_NOTE)."""

    def handle(event: RecordedEvent, conn: Connection) -> None:
        if sleep:
            time.sleep(sleep)
        if getattr(event.data, "note", None) == FAIL_NOTE:
            raise RuntimeError(FAIL_NOTE)
        where = projection.c.aggregate_id == event.aggregate_id
        row = conn.execute(select(projection.c.count, projection.c.event_ids).where(where)).first()
        if row is None:
            conn.execute(
                projection.insert().values(
                    aggregate_id=event.aggregate_id, count=1, event_ids=str(event.event_id)
                )
            )
        else:
            conn.execute(
                projection.update()
                .where(where)
                .values(count=row.count + 1, event_ids=f"{row.event_ids},{event.event_id}")
            )

    return handle


def read_projection(engine: Engine) -> dict[str, tuple[int, list[str]]]:
    """The projection: aggregate id -> (count, event ids in the order they were applied)."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        rows = conn.execute(select(projection)).all()
    return {row.aggregate_id: (row.count, row.event_ids.split(",")) for row in rows}


def expected_projection(events: list[RecordedEvent]) -> dict[str, tuple[int, list[str]]]:
    """What the projection holds after applying each event exactly once."""
    result: dict[str, tuple[int, list[str]]] = {}
    for event in events:
        count, ids = result.get(event.aggregate_id, (0, []))
        result[event.aggregate_id] = (count + 1, [*ids, str(event.event_id)])
    return result


def same_content(
    actual: dict[str, tuple[int, list[str]]], expected: dict[str, tuple[int, list[str]]]
) -> bool:
    """Same counts and the same event ids per aggregate (order of application aside)."""
    return {k: (c, sorted(ids)) for k, (c, ids) in actual.items()} == {
        k: (c, sorted(ids)) for k, (c, ids) in expected.items()
    }


def make_producer(url: str, context: str) -> SqlEventStore:
    """A migrated store publishing the sample events under ``context``."""
    store = SqlEventStore(url, registry=sample_registry, source="producer", context=context)
    store.migrate()
    return store


def append_events(
    store: SqlEventStore, aggregate: str, count: int, *, writer: str = "w", note: str = "巡查"
) -> list[RecordedEvent]:
    """Append ``count`` events, one per transaction, to aggregate ``probe/<aggregate>``."""
    stream = StreamId("probe", aggregate)
    written: list[RecordedEvent] = []
    for sequence in range(count):
        version = store.stream_version(stream)
        data = SampleRecorded(writer=writer, sequence=sequence, note=note)
        written += store.append(stream, [data], version, inspector())
    return written


@dataclass
class StreamMessage:
    """A message as stored in a stream: sequence, subject, message id and body."""

    sequence: int
    subject: str
    msg_id: str
    body: bytes


async def stream_messages(js: JetStreamContext, stream: str) -> list[StreamMessage]:
    """Every message of a stream, in stream order (deleted ones left out)."""
    info = await js.stream_info(stream)
    messages: list[StreamMessage] = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        try:
            raw: RawStreamMsg = await js.get_msg(stream, seq=sequence)
        except NotFoundError:
            continue
        headers = raw.headers or {}
        messages.append(
            StreamMessage(
                sequence, raw.subject or "", headers.get("Nats-Msg-Id", ""), raw.data or b""
            )
        )
    return messages


def assert_exactly_once_in_commit_order(
    messages: list[StreamMessage], store: SqlEventStore
) -> None:
    """The stream holds each stored event once, in the store's commit (read-all) order."""
    stored = list(store.iter_all())
    position = {str(event.event_id): index for index, event in enumerate(stored)}
    ids = [message.msg_id for message in messages]
    assert len(ids) == len(set(ids)), "an event was published twice"
    assert set(ids) == set(position), "the stream and the store hold different events"
    positions = [position[i] for i in ids]
    assert positions == sorted(positions), "events were published out of commit order"
    bodies = {message.msg_id: message.body for message in messages}
    for event in stored:
        parsed = RecordedEvent.from_json(bodies[str(event.event_id)], store.registry)
        assert (parsed.aggregate_id, parsed.version) == (event.aggregate_id, event.version)


async def start_worker(*args: str) -> asyncio.subprocess.Process:
    """Start messaging_worker.py in its own process with these arguments."""
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), *args, stdout=asyncio.subprocess.PIPE
    )


async def expect_line(worker: asyncio.subprocess.Process, within: float = 30.0) -> str:
    """The next line the worker prints (fails after ``within`` seconds)."""
    assert worker.stdout is not None
    line = await asyncio.wait_for(worker.stdout.readline(), within)
    return line.decode().strip()


async def kill(worker: asyncio.subprocess.Process) -> None:
    """SIGKILL the worker: no clean-up, no last words."""
    if worker.returncode is None:
        worker.kill()
    await worker.wait()


async def eventually(
    condition: Callable[[], bool], within: float = 20.0, what: str = "condition"
) -> None:
    """Poll ``condition`` (run in a thread) until it holds, or fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await asyncio.to_thread(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {within}s")
        await asyncio.sleep(0.05)
