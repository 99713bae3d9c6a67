"""Read the public record: every message of a stream (or a subject of it), in stream order.

An ephemeral pull consumer with no acks reads the stream as it stood when the read began
(its pending count at creation is the end), so a live stream never makes a read run forever.
The consumer goes away when the read ends (and the server drops it anyway when idle). It is
named under the reading user's prefix (``outside-...``): the bus refuses nameless creates.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from ccc_shared.messaging import SERVICE_STREAMS
from ccc_shared.runtime.nats_permissions import consumer_name

EVENT_STREAMS: tuple[str, ...] = tuple(str(name) for name in SERVICE_STREAMS)  # CCC_REGISTRY, ...
BATCH = 512
FETCH_ATTEMPTS = 3  # fetches in a row that may time out before a read gives up


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """One stored message: where it sits, its subject, its message id and its JSON envelope."""

    stream: str
    sequence: int
    subject: str
    msg_id: str
    envelope: dict[str, Any]
    problem: str | None = None  # why the body is not an event envelope (then envelope is {})

    @property
    def event_id(self) -> str:
        """The event's id (the envelope's, else the message id the relay set)."""
        return str(self.envelope.get("event_id") or self.msg_id)


def subject_of(stream: str) -> str:
    """The subject filter of a whole service stream: ``CCC_REGISTRY`` -> ``ccc.registry.>``."""
    return f"ccc.{stream.removeprefix('CCC_').lower()}.>"


async def read_stream(
    js: JetStreamContext, stream: str, subject: str | None = None
) -> AsyncIterator[StreamMessage]:
    """Every message of ``stream`` matching ``subject``, oldest first, as stored when called."""
    try:
        await js.stream_info(stream)
    except NotFoundError:
        return  # a service that never started has published nothing
    user = js._nc.options.get("user") or "audit"
    config = ConsumerConfig(
        name=consumer_name(user, f"read-{secrets.token_hex(6)}"),
        ack_policy=AckPolicy.NONE,
        deliver_policy=DeliverPolicy.ALL,
        inactive_threshold=60.0,
        max_ack_pending=-1,
    )
    subscription = await js.pull_subscribe(
        subject or subject_of(stream), stream=stream, config=config
    )
    info = await subscription.consumer_info()
    try:
        remaining = info.num_pending or 0
        patience = FETCH_ATTEMPTS
        while remaining > 0:
            try:
                fetched = await subscription.fetch(min(BATCH, remaining), timeout=10)
            except TimeoutError:  # a busy server: the messages are there, ask again
                patience -= 1
                if patience == 0:
                    raise
                continue
            for message in fetched:
                remaining -= 1
                headers = message.headers or {}
                envelope, problem = parse_envelope(message.data)
                yield StreamMessage(
                    stream=stream,
                    sequence=message.metadata.sequence.stream,
                    subject=message.subject,
                    msg_id=headers.get("Nats-Msg-Id", ""),
                    envelope=envelope,
                    problem=problem,
                )
    finally:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
        with contextlib.suppress(Exception):
            await js.delete_consumer(stream, info.name)


def parse_envelope(body: bytes) -> tuple[dict[str, Any], str | None]:
    """The body as an envelope, or ``{}`` and what is wrong with it (never raises)."""
    try:
        envelope = json.loads(body)
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        return {}, f"not JSON: {error}"
    if not isinstance(envelope, dict):
        return {}, f"not a JSON object but {type(envelope).__name__}"
    missing = [key for key in ("event_id", "event_type") if not isinstance(envelope.get(key), str)]
    if missing:
        return {}, f"not an event envelope: no {' or '.join(missing)}"
    return envelope, None


def json_line(message: StreamMessage) -> str:
    """One envelope as a JSON Lines row, Chinese text kept as text."""
    return json.dumps(message.envelope, ensure_ascii=False, separators=(",", ":"))
