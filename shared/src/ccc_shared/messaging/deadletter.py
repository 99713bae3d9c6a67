"""Dead letters: messages a consumer gave up on, kept in CCC_DEADLETTER with the reason.

Subject ``ccc.deadletter.<consumer>.<original subject>``; body = the original bytes; headers
name the reason, original subject, stream, stream sequence, delivery count and consumer. The
message id is ``<consumer>:<stream>:<sequence>``, so dead-lettering the same delivery twice
(a crash between the dead-letter ack and the term) stores it once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import StreamConfig

from ccc_shared.messaging.streams import DEADLETTER, DEADLETTER_PREFIX, ensure_stream

log = structlog.get_logger("ccc.messaging.deadletter")

REASON = "Ccc-Dead-Letter-Reason"
ORIGINAL_SUBJECT = "Ccc-Original-Subject"
ORIGINAL_STREAM = "Ccc-Original-Stream"
ORIGINAL_SEQUENCE = "Ccc-Original-Sequence"
DELIVERY_COUNT = "Ccc-Delivery-Count"
CONSUMER = "Ccc-Consumer"
ORIGINAL_MSG_ID = "Ccc-Original-Msg-Id"
MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One message to dead-letter: where it came from, why, and its original bytes."""

    subject: str
    body: bytes
    headers: dict[str, str]

    @classmethod
    def of(cls, message: Msg, consumer: str, reason: str) -> DeadLetter:
        """The dead letter for a delivered JetStream message."""
        meta = message.metadata
        stream, sequence = meta.stream, meta.sequence.stream
        one_line = " ".join(reason.split())[:MAX_REASON] or "unknown"
        headers = {
            "Nats-Msg-Id": f"{consumer}:{stream}:{sequence}",
            REASON: one_line,
            ORIGINAL_SUBJECT: message.subject,
            ORIGINAL_STREAM: stream,
            ORIGINAL_SEQUENCE: str(sequence),
            DELIVERY_COUNT: str(meta.num_delivered),
            CONSUMER: consumer,
        }
        original_id = (message.headers or {}).get("Nats-Msg-Id")
        if original_id:
            headers[ORIGINAL_MSG_ID] = original_id
        return cls(f"{DEADLETTER_PREFIX}.{consumer}.{message.subject}", message.data, headers)


class DeadLetterPublisher:
    """Publishes dead letters and reports which ones the dead-letter stream acknowledged."""

    def __init__(
        self, js: JetStreamContext, config: StreamConfig = DEADLETTER, ack_timeout: float = 5.0
    ) -> None:
        self._js = js
        self.config = config
        self.ack_timeout = ack_timeout
        self._ready = False

    async def ensure_stream(self) -> None:
        """Create the dead-letter stream when missing (its owner, the operator, updates it)."""
        if not self._ready:
            await ensure_stream(self._js, self.config, update=False)
            self._ready = True

    async def publish(self, letters: Sequence[DeadLetter]) -> list[bool]:
        """Publish the letters; for each, whether the dead-letter stream stored it."""
        results: list[bool] = []
        for letter in letters:
            try:
                await asyncio.wait_for(
                    self._js.publish(
                        letter.subject,
                        letter.body,
                        headers=dict(letter.headers),
                        stream=self.config.name,
                    ),
                    self.ack_timeout,
                )
            except Exception as error:
                log.error(
                    "dead-letter publish failed, will retry",
                    subject=letter.subject,
                    reason=letter.headers[REASON],
                    error=repr(error),
                )
                results.append(False)
                continue
            log.warning(
                "message dead-lettered",
                subject=letter.subject,
                reason=letter.headers[REASON],
                event_id=letter.headers.get(ORIGINAL_MSG_ID),
            )
            results.append(True)
        return results
