"""Re-driving dead letters: an operator asks, the consumer's own service handles it once.

The operator (``ccc-audit deadletters redrive``, the bus user ``operator``) publishes a request
on ``ccc.redrive.<consumer>`` into CCC_DEADLETTER, naming the letter, its original stream and
sequence, who asks and when; the request stays there as the record. Each service listens on its
consumers' request subjects with one durable (``<context>-redrive``), reads the original message
from its stream (not the letter's copy: the public record is the authority), and applies it
through the consumer's own applier, where the processed ids make it exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Protocol

import nats.errors
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from ccc_shared.messaging.apply import BatchApplier
from ccc_shared.messaging.deadletter import (
    CONSUMER,
    DELIVERY_COUNT,
    ORIGINAL_SEQUENCE,
    ORIGINAL_STREAM,
    ORIGINAL_SUBJECT,
    REASON,
)
from ccc_shared.messaging.streams import DEADLETTER_PREFIX, DEADLETTER_STREAM, REDRIVE_PREFIX

log = structlog.get_logger("ccc.messaging.redrive")

LETTER_SEQUENCE = "Ccc-Dead-Letter-Sequence"
REDRIVEN_BY = "redriven_by"  # in the request's JSON body (headers carry ASCII only)
REDRIVEN_AT = "redriven_at"
RETRY_PAUSES = (1.0, 2.0, 5.0, 15.0)  # while the bus or the dead-letter stream is away


class Consumer(Protocol):
    """What the listener needs of a subscription runner."""

    name: str
    stream: str

    @property
    def applier(self) -> BatchApplier: ...


def redrive_consumer(context: str) -> str:
    """The durable on CCC_DEADLETTER through which a service takes its re-drive requests."""
    return f"{context}-redrive"


def asker(body: bytes) -> tuple[str, str]:
    """Who asked for a re-drive and when, from the request's body ("?" where unreadable)."""
    try:
        found = json.loads(body)
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    return str(found.get(REDRIVEN_BY, "?")), str(found.get(REDRIVEN_AT, "?"))


def request_id(request: Msg) -> str:
    """The request's own sequence in CCC_DEADLETTER (its ack subject names it)."""
    try:
        return str(request.metadata.sequence.stream)
    except Exception:  # not a JetStream delivery
        return "?"


def redrive_subject(consumer: str) -> str:
    """Where an operator asks ``consumer`` to handle one of its dead letters again."""
    return f"{REDRIVE_PREFIX}.{consumer}"


class RedriveListener:
    """Takes a service's re-drive requests and applies each named letter once."""

    def __init__(self, js: JetStreamContext, context: str, consumers: Sequence[Consumer]) -> None:
        self.name = redrive_consumer(context)
        self._js = js
        self._consumers = {consumer.name: consumer for consumer in consumers}
        self._stopping = False
        self._stopped = asyncio.Event()
        self.redriven = 0  # letters handled again (metrics)
        self.failed = 0  # requests whose letter still could not be handled

    def consumer_config(self) -> ConsumerConfig:
        subjects = [redrive_subject(name) for name in sorted(self._consumers)]
        one = len(subjects) == 1
        return ConsumerConfig(
            durable_name=self.name, deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT, ack_wait=30.0, max_deliver=5,
            filter_subject=subjects[0] if one else None,
            filter_subjects=None if one else subjects,
        )  # fmt: skip

    async def run(self) -> None:
        """Take requests until ``stop()``; set-up and fetch errors are logged and retried."""
        subscription: JetStreamContext.PullSubscription | None = None
        failures = 0
        while not self._stopping:
            try:
                if subscription is None:
                    await self._js.add_consumer(DEADLETTER_STREAM, self.consumer_config())
                    subscription = await self._js.pull_subscribe_bind(
                        durable=self.name, stream=DEADLETTER_STREAM
                    )
                try:
                    requests = await subscription.fetch(16, timeout=1.0)
                except (TimeoutError, nats.errors.TimeoutError):
                    continue
                for request in requests:
                    await self.handle(request)
                failures = 0
            except Exception as error:
                pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
                failures += 1
                log.warning("re-drive listener retrying", consumer=self.name, error=repr(error),
                            retry_in=pause)  # fmt: skip
                await self._pause(pause)

    async def _pause(self, seconds: float) -> None:
        """Sleep until ``stop()`` or ``seconds`` have passed."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    def stop(self) -> None:
        """Ask the loop to end after the request in hand."""
        self._stopping = True
        self._stopped.set()

    async def handle(self, request: Msg) -> None:
        """Apply the letter one request names, then settle the request."""
        headers = request.headers or {}
        consumer = self._consumers.get(request.subject.removeprefix(f"{REDRIVE_PREFIX}."))
        stream, sequence = headers.get(ORIGINAL_STREAM), headers.get(ORIGINAL_SEQUENCE, "")
        by, at = asker(request.data or b"")
        asked = {"letter": headers.get(LETTER_SEQUENCE), "by": by, "at": at}
        if consumer is None or stream != consumer.stream or not sequence.isdigit():
            log.error(
                "re-drive request refused: not a letter of this consumer",
                subject=request.subject, stream=stream, sequence=sequence, **asked,
            )  # fmt: skip
            await request.term()
            return
        original = await self._js.get_msg(stream, int(sequence))
        outcome = await asyncio.to_thread(
            consumer.applier.apply_redriven, original.data or b"", int(sequence)
        )
        if outcome.action == "dead":  # a new letter says so: the operator's list shows it
            self.failed += 1
            log.error("re-driven letter failed again", consumer=consumer.name, stream=stream,
                      sequence=sequence, reason=outcome.reason, **asked)  # fmt: skip
            letter = headers.get(LETTER_SEQUENCE, "?")
            again = f"{consumer.name}:{stream}:{sequence}:again:{request_id(request)}"
            await self._js.publish(
                f"{DEADLETTER_PREFIX}.{consumer.name}.{original.subject}", original.data or b"",
                stream=DEADLETTER_STREAM, headers={
                    "Nats-Msg-Id": again,
                    REASON: f"re-drive of letter {letter} failed again: {outcome.reason}"[:1000],
                    ORIGINAL_SUBJECT: original.subject or "", ORIGINAL_STREAM: stream,
                    ORIGINAL_SEQUENCE: sequence, DELIVERY_COUNT: "1", CONSUMER: consumer.name,
                },
            )  # fmt: skip
            await request.term()
            return
        self.redriven += outcome.reason != "duplicate"
        log.warning(
            "dead letter re-driven", consumer=consumer.name, stream=stream, sequence=sequence,
            already_handled=outcome.reason == "duplicate", **asked,
        )  # fmt: skip
        await request.ack()
