"""Pipelined JetStream publishes whose futures resolve on refusals as well as on acks.

nats-py 2.16's ``publish_async`` leaves its future pending forever when the server refuses the
message: ``_handle_async_reply`` calls ``APIError.from_error``, which raises instead of
returning, so the error goes to the connection's error callback and the future never resolves
(nats-io/nats.py#985, fix proposed in #994). The relay needs the refusal itself (10070, wrong
last msg id) to stop waiting and re-sync, so it publishes the way ``publish_async`` does (a
core publish with a reply subject, answered by the stream) and reads the answers here.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import PubAck
from nats.js.errors import APIError, NoStreamResponseError

EXPECTED_STREAM = "Nats-Expected-Stream"
NO_RESPONDERS = "503"


def api_error(error: dict[str, Any]) -> APIError:
    """The nats-py exception for a JetStream error reply (``from_error`` raises it)."""
    try:
        APIError.from_error(error)
    except APIError as raised:
        return raised
    return APIError(**error)  # pragma: no cover - from_error always raises


class AckInbox:
    """One reply subscription for the acks of pipelined publishes, one future per publish."""

    def __init__(self, nc: NatsClient) -> None:
        self._nc = nc
        self._prefix = ""
        self._subscription: Subscription | None = None
        self._pending: dict[str, asyncio.Future[PubAck]] = {}
        self._tokens = itertools.count()

    async def publish(
        self, subject: str, body: bytes, headers: dict[str, str], stream: str
    ) -> asyncio.Future[PubAck]:
        """Publish into ``stream``; the future gets its PubAck, or the server's refusal."""
        if self._subscription is None:
            self._prefix = f"{self._nc.new_inbox()}."
            self._subscription = await self._nc.subscribe(f"{self._prefix}*", cb=self._answer)
        token = str(next(self._tokens))
        future: asyncio.Future[PubAck] = asyncio.get_running_loop().create_future()
        self._pending[token] = future
        headers[EXPECTED_STREAM] = stream
        await self._nc.publish(subject, body, reply=self._prefix + token, headers=headers)
        return future

    def forget(self) -> None:
        """Cancel every publish still waiting for its answer (a late answer is then ignored)."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()

    async def close(self) -> None:
        """Forget what waits and drop the reply subscription (a later publish makes a new one)."""
        self.forget()
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            with contextlib.suppress(Exception):  # the connection may be closed already
                await subscription.unsubscribe()

    async def _answer(self, msg: Msg) -> None:
        future = self._pending.pop(msg.subject[len(self._prefix) :], None)
        if future is None or future.done():
            return
        if msg.headers and msg.headers.get("Status") == NO_RESPONDERS:
            future.set_exception(NoStreamResponseError())
            return
        try:
            answer = json.loads(msg.data)
            if "error" in answer:
                future.set_exception(api_error(answer["error"]))
            else:
                future.set_result(PubAck.from_response(answer))
        except Exception as error:  # a garbled answer fails this publish, not the subscription
            future.set_exception(error)
