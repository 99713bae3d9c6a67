"""What every service's integration tests share: the app under test, its store and stream.

A service's test support subclasses ``ServiceUnderTest`` with its own helpers (its stream's
name, its commands); the waiting, counting and stream reading are written once here.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from ccc_contracts.credit_code import check_character
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore

_serial = itertools.count(1)


def fresh_credit_code() -> str:
    """A fresh, valid unified social credit code (GB 32100-2015), unique in the test session."""
    body = f"91330100MA{next(_serial):07d}"
    return body + check_character(body)


async def eventually(check: Callable[[], Any], within: float = 20.0, every: float = 0.05) -> Any:
    """Poll an async or sync check until it returns something truthy (or fail naming it)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {within} s: {check}")
        await asyncio.sleep(every)


async def stream_messages(
    nc: NatsClient, stream: str, keep: Callable[[str], bool] | None = None
) -> list[dict[str, Any]]:
    """The envelopes on a JetStream stream (those whose subject ``keep`` accepts), in order."""
    js = nc.jetstream()
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return []
    if not info.state.messages:
        return []
    found = []
    for sequence in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
        message = await js.get_msg(stream, sequence)
        if message.data and (keep is None or keep(message.subject or "")):
            found.append(json.loads(message.data))
    return found


@dataclass
class ServiceUnderTest:
    """A running service app as a test sees it: HTTP client, event store and the bus."""

    stream: ClassVar[str]

    app: FastAPI
    http: httpx.AsyncClient
    nc: NatsClient

    @property
    def store(self) -> SqlEventStore:
        """The service's event store."""
        store: SqlEventStore = self.app.state.kernel.store
        return store

    def event_count(self) -> int:
        """How many events the store holds."""
        return len(self.store.read_all(0, 100_000))

    async def published(self, stream: str | None = None) -> list[dict[str, Any]]:
        """The envelopes on the service's stream (or another), in stream order."""
        return await stream_messages(self.nc, stream or self.stream)

    async def publish(self, context: str, event: RecordedEvent) -> None:
        """Publish another service's contract event as it would (no message id)."""
        await self.nc.jetstream().publish(event.subject(context), event.to_json())

    async def eventually(self, check: Callable[[], Any], within: float = 20.0) -> Any:
        """Poll an async or sync check until it returns something truthy."""
        return await eventually(check, within)
