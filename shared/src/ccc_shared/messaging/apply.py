"""Applying one fetched batch: every handler, the processed ids and the checkpoint in one
transaction, and what to tell the server about each message once it has committed.

Optimistically the handlers run without savepoints (a SAVEPOINT per event was half the apply
time); if one raises, the transaction is rolled back whole and the batch applied again with
each handler inside its own SAVEPOINT, so a handler error rolls back only that event's effects
and the message is retried with backoff, then dead-lettered once delivered ``max_deliver`` times.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from nats.aio.msg import Msg
from sqlalchemy import Connection

from ccc_contracts.base import EventRegistry
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.messaging.ledger import Ledger

log = structlog.get_logger("ccc.messaging.runner")

Handler = Callable[[RecordedEvent, Connection], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to tell the server about one message once the batch has committed."""

    action: str  # "ack", "nak" or "dead"
    delay: float = 0.0
    reason: str = ""


class BatchApplier:
    """Applies fetched messages to a consumer's database, each event exactly once."""

    def __init__(
        self,
        ledger: Ledger,
        handler: Handler,
        registry: EventRegistry,
        *,
        consumer: str,
        max_deliver: int,
        delay: Callable[[int], float],
    ) -> None:
        self.ledger = ledger
        self.handler = handler
        self.registry = registry
        self.consumer = consumer
        self.max_deliver = max_deliver
        self._delay = delay

    def apply(self, messages: list[Msg]) -> list[Outcome]:
        """Run in a worker thread: the whole batch in one transaction, then commit.

        Optimistic first: every handler straight on the transaction, no savepoints. If a
        handler raises, that transaction is rolled back whole and the batch is applied again
        in the safe mode, where each handler runs in its own savepoint, so a failing message
        loses only its own effects.
        """
        parsed = [self._parse(message) for message in messages]
        last_sequence = max(_stream_sequence(message) for message in messages)
        try:
            return self._apply_fast(parsed, last_sequence)
        except _HandlerFailedError as failed:
            log.info(
                "handler failed, re-running the batch with a savepoint per event",
                consumer=self.consumer,
                event_id=failed.event_id,
                error=failed.error,
            )
        return self._apply_safe(messages, parsed, last_sequence)

    def _apply_fast(self, parsed: list[RecordedEvent | str], last_sequence: int) -> list[Outcome]:
        """All handlers in one transaction, no savepoints; _HandlerFailedError on an error."""
        outcomes: list[Outcome] = []
        handler = self.handler
        with self.ledger.transaction() as conn:
            done = self.ledger.already_processed(
                conn, [event.event_id for event in parsed if not isinstance(event, str)]
            )
            applied: list[str] = []
            with _EventLogContext() as bind:
                for event in parsed:
                    if isinstance(event, str):
                        outcomes.append(Outcome("dead", reason=event))
                        continue
                    event_id = event.event_id
                    if event_id in done:
                        outcomes.append(_DUPLICATE)
                        continue
                    bind(event_id, event.correlation_id)
                    try:
                        handler(event, conn)
                    except Exception as error:
                        raise _HandlerFailedError(event_id, _describe(error)) from error
                    done.add(event_id)
                    applied.append(event_id)
                    outcomes.append(_ACK)
            self.ledger.record(conn, applied, last_sequence)
        return outcomes

    def _apply_safe(
        self, messages: list[Msg], parsed: list[RecordedEvent | str], last_sequence: int
    ) -> list[Outcome]:
        """The batch again, each handler in its own savepoint."""
        outcomes: list[Outcome] = []
        with self.ledger.transaction() as conn:
            done = self.ledger.already_processed(
                conn, [event.event_id for event in parsed if not isinstance(event, str)]
            )
            applied: list[str] = []
            for message, event in zip(messages, parsed, strict=True):
                if isinstance(event, str):
                    outcomes.append(Outcome("dead", reason=event))
                    continue
                event_id = event.event_id
                if event_id in done:
                    outcomes.append(_DUPLICATE)
                    continue
                error = self._handle(event, conn)
                if error is None:
                    done.add(event_id)
                    applied.append(event_id)
                    outcomes.append(_ACK)
                    continue
                delivered = message.metadata.num_delivered
                if delivered >= self.max_deliver:
                    outcomes.append(
                        Outcome("dead", reason=f"handler failed {delivered} times: {error}")
                    )
                else:
                    outcomes.append(Outcome("nak", delay=self._delay(delivered), reason=error))
            self.ledger.record(conn, applied, last_sequence)
        return outcomes

    def apply_redriven(self, body: bytes, stream_sequence: int) -> Outcome:
        """A dead letter again, alone in its transaction: handled, already handled, or why not.

        The processed ids make it exactly once (a letter re-driven twice is handled once); the
        checkpoint never moves back, so the letter's older sequence leaves it where it is.
        """
        event = self._parse_body(body)
        if isinstance(event, str):
            return Outcome("dead", reason=event)
        with self.ledger.transaction() as conn:
            if self.ledger.already_processed(conn, [event.event_id]):
                return _DUPLICATE
            error = self._handle(event, conn)
            if error is not None:
                return Outcome("dead", reason=error)
            self.ledger.record(conn, [event.event_id], stream_sequence)
        return _ACK

    def _parse(self, message: Msg) -> RecordedEvent | str:
        """The message as an event, or the reason it cannot be one."""
        return self._parse_body(message.data)

    def _parse_body(self, body: bytes) -> RecordedEvent | str:
        try:
            return RecordedEvent.from_json(body, self.registry)
        except (ValueError, LookupError) as error:  # JSON, pydantic, unknown type, upcasting
            return f"invalid event: {type(error).__name__}: {error}"

    def _handle(self, event: RecordedEvent, conn: Connection) -> str | None:
        """Run the handler in a savepoint; return None on success, else the error."""
        with _EventLogContext() as bind:
            bind(event.event_id, event.correlation_id)
            savepoint = conn.begin_nested()
            try:
                self.handler(event, conn)
            except Exception as error:
                savepoint.rollback()
                log.warning("handler failed", consumer=self.consumer, error=repr(error))
                return _describe(error)
            savepoint.commit()
        return None


def _stream_sequence(message: Msg) -> int:
    """The message's stream sequence, read off its ack subject (nats-py's parse costs 4 us).

    ``$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>...`` (9 tokens) or, with a domain and
    an account hash, ``$JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>.<sseq>...``
    (11 or more), as nats-py reads them; anything else goes through nats-py.
    """
    tokens = (message.reply or "").split(".")
    if tokens[0] == "$JS" and tokens[1:2] == ["ACK"] and (len(tokens) == 9 or len(tokens) >= 11):
        with contextlib.suppress(ValueError):
            return int(tokens[5] if len(tokens) == 9 else tokens[7])
    return message.metadata.sequence.stream


class _HandlerFailedError(Exception):
    """A handler raised in the optimistic pass: roll the batch back and apply it safely."""

    def __init__(self, event_id: str, error: str) -> None:
        super().__init__(event_id, error)
        self.event_id = event_id
        self.error = error


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


_ACK = Outcome("ack")
_DUPLICATE = Outcome("ack", reason="duplicate")


class _EventLogContext:
    """Binds an event's ids to every log line written while it is handled, cheaply.

    ``structlog.contextvars.bound_contextvars`` copies the whole context on entry; here the
    two context variables are set directly per event and restored once when the block ends.
    """

    __slots__ = ("_tokens", "_vars")

    def __enter__(self) -> Callable[[str, str], None]:
        self._tokens = structlog.contextvars.bind_contextvars(event_id="", correlation_id="")
        event_var = self._tokens["event_id"].var
        correlation_var = self._tokens["correlation_id"].var

        def bind(event_id: str, correlation_id: str) -> None:
            event_var.set(event_id)
            correlation_var.set(correlation_id)

        return bind

    def __exit__(self, *_exc: object) -> None:
        structlog.contextvars.reset_contextvars(**self._tokens)
