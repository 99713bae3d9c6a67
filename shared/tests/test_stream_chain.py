"""What the relay's chain relies on, pinned against the real nats-server in use (2.15).

The relay chains each publish to the one before with ``Nats-Expected-Last-Msg-Id`` and counts
on the server to check duplicates (``Nats-Msg-Id``) first: see ``messaging/stream_tail.py``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from messaging_support import connect
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import StreamConfig

from ccc_shared.messaging.stream_tail import (
    EXPECTED_LAST_MSG_ID,
    MSG_ID,
    is_wrong_last_msg_id,
)
from ccc_shared.runtime.embedded_nats import EmbeddedNats

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

WRONG_LAST_SEQUENCE = 10071  # err_code of a refused Nats-Expected-Last-Sequence


class Stream:
    """A private stream on a server, published to with explicit headers."""

    def __init__(self, js: JetStreamContext, window: float) -> None:
        self.js = js
        self.name = f"CHAIN_{uuid.uuid4().hex[:10].upper()}"
        self.subject = f"chain.{self.name.lower()}.event"
        self.window = window

    async def create(self) -> Stream:
        config = StreamConfig(
            name=self.name, subjects=[f"chain.{self.name.lower()}.>"], duplicate_window=self.window
        )
        await self.js.add_stream(config)
        return self

    async def publish(self, msg_id: str | None, after: str | None = None, **extra: str) -> str:
        """Publish; "seq N" or "seq N dup" when stored or dropped as duplicate, else the error."""
        headers = dict(extra)
        if msg_id is not None:
            headers[MSG_ID] = msg_id
        if after is not None:
            headers[EXPECTED_LAST_MSG_ID] = after
        try:
            ack = await self.js.publish(self.subject, b"x", headers=headers or None)
        except Exception as error:
            if is_wrong_last_msg_id(error):
                return "wrong last msg id"
            return f"refused {getattr(error, 'err_code', None)}"
        return f"seq {ack.seq}{' dup' if ack.duplicate else ''}"


@pytest.fixture
async def client(nats_url: str) -> AsyncIterator[NatsClient]:
    nc = await connect(nats_url)
    yield nc
    await nc.close()


async def test_duplicate_check_comes_before_the_expected_last_msg_id(client: NatsClient) -> None:
    stream = await Stream(client.jetstream(), 120.0).create()
    assert await stream.publish("a") == "seq 1"
    assert await stream.publish("b", after="a") == "seq 2"
    assert await stream.publish("c", after="a") == "wrong last msg id"
    # re-sends of stored messages are acked as duplicates, whatever they say came before
    assert await stream.publish("a", after="zzz") == "seq 1 dup"
    assert await stream.publish("a", after="") == "seq 1 dup"
    assert await stream.publish("b", after="a") == "seq 2 dup"
    assert await stream.publish("c", after="b") == "seq 3"


async def test_expected_last_sequence_is_checked_before_duplicates(client: NatsClient) -> None:
    """Why the chain uses message ids: a stale last sequence refuses even a re-send."""
    stream = await Stream(client.jetstream(), 120.0).create()
    assert await stream.publish("a") == "seq 1"
    assert await stream.publish("b") == "seq 2"
    stale = {"Nats-Expected-Last-Sequence": "1"}
    assert await stream.publish("b", **stale) == f"refused {WRONG_LAST_SEQUENCE}"


async def test_an_empty_stream_takes_no_or_an_empty_expected_id_only(client: NatsClient) -> None:
    stream = await Stream(client.jetstream(), 120.0).create()
    assert await stream.publish("a", after="x") == "wrong last msg id"
    assert await stream.publish("a", after="") == "seq 1"
    other = await Stream(client.jetstream(), 120.0).create()
    assert await other.publish("a") == "seq 1"


async def test_a_message_without_id_leaves_the_last_id_empty(client: NatsClient) -> None:
    """An outside publisher without Nats-Msg-Id: only an unchained publish follows it."""
    stream = await Stream(client.jetstream(), 120.0).create()
    assert await stream.publish("a") == "seq 1"
    assert await stream.publish(None) == "seq 2"
    assert await stream.publish("b", after="a") == "wrong last msg id"
    assert await stream.publish("b") == "seq 3"
    assert await stream.publish("c", after="b") == "seq 4"


async def test_outside_the_window_a_stale_re_send_is_refused_not_stored_twice(
    client: NatsClient,
) -> None:
    stream = await Stream(client.jetstream(), 0.3).create()
    assert await stream.publish("a") == "seq 1"
    assert await stream.publish("b", after="a") == "seq 2"
    await asyncio.sleep(0.5)
    assert await stream.publish("b", after="a") == "wrong last msg id"
    assert await stream.publish("c", after="b") == "seq 3"


async def test_the_last_id_survives_a_restart_but_not_a_deleted_tail(
    embedded_nats: EmbeddedNats,
) -> None:
    nc = await connect(embedded_nats.url)
    stream = await Stream(nc.jetstream(), 0.3).create()
    assert await stream.publish("a") == "seq 1"
    assert await stream.publish("b", after="a") == "seq 2"
    await nc.close()
    await asyncio.to_thread(embedded_nats.stop)
    await asyncio.to_thread(embedded_nats.start)
    await asyncio.sleep(0.5)  # the duplicate window has passed too
    nc = await connect(embedded_nats.url)
    stream.js = nc.jetstream()
    assert await stream.publish("c", after="a") == "wrong last msg id"
    assert await stream.publish("c", after="b") == "seq 3"
    # a deleted tail: the server still expects the deleted message's id, not the stored tail's
    await stream.js.delete_msg(stream.name, 3)
    assert await stream.publish("d", after="b") == "wrong last msg id"
    assert await stream.publish("d", after="c") == "seq 4"
    await stream.js.delete_msg(stream.name, 4)
    await nc.close()
    await asyncio.to_thread(embedded_nats.stop)
    await asyncio.to_thread(embedded_nats.start)
    nc = await connect(embedded_nats.url)
    stream.js = nc.jetstream()
    # ... and after a restart it expects "": only an unchained publish gets through
    for after in ("b", "d"):
        assert await stream.publish("e", after=after) == "wrong last msg id"
    assert await stream.publish("e") == "seq 5"
    await nc.close()
