"""Each event once: the subscriber's database side of the kit.

The ids of handled events live in the subscriber's own database (``ccc_handled_events``). A
fetched batch is applied in one transaction: its ids are claimed (those claimed before are not
returned), the handlers run for the new ones in stream order, and the commit records both; the
messages are acknowledged only after it. A handler that raises rolls the batch back; the batch
is then applied one event per transaction so that only the failing event is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from itertools import groupby
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ccc_contracts.base import EventData
from ccc_contracts.envelope import RecordedEvent

if TYPE_CHECKING:
    from nats.aio.msg import Msg

log = logging.getLogger("ccc_contracts.subscriber")

DataT = TypeVar("DataT", bound=EventData)

handled_metadata = MetaData()
handled_events = Table(
    "ccc_handled_events",
    handled_metadata,
    Column("subscriber", String(128), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("stream", String(64), nullable=False),
    Column("stream_sequence", BigInteger, nullable=False),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)
HANDLED = insert(handled_events)  # built once: SQLAlchemy caches its compiled form
CLAIM = {
    name: dialect_insert(handled_events)
    .on_conflict_do_nothing()
    .returning(handled_events.c.event_id)
    for name, dialect_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


@dataclass(frozen=True, slots=True)
class Received(Generic[DataT]):
    """One event as a handler gets it: the typed payload and the whole envelope."""

    data: DataT
    event: RecordedEvent
    stream_sequence: int


Handler = Callable[[Received[Any], Connection], None]


class Outcome(Enum):
    """What becomes of a delivered message once its batch is settled."""

    ACK = "ack"  # handled now, handled before, or not ours to handle
    RETRY = "retry"  # its handler failed: redeliver after a delay
    TERM = "term"  # never handleable (malformed, tampered, retries used up)


@dataclass(slots=True)
class Delivery:
    """A fetched message and what the kit made of it."""

    message: Msg
    stream: str
    sequence: int
    attempt: int
    event: RecordedEvent | None = None
    handler: Handler | None = None
    outcome: Outcome = Outcome.ACK
    reason: str = ""


class OnceApplier:
    """Applies decoded batches to the subscriber's database, each event once (a mixin of
    ``Subscriber``, which provides the attributes below)."""

    name: str
    after_commit: Callable[[list[str]], None] | None
    _handlers: dict[str, Handler]
    _batch_types: set[str]

    @property
    def engine(self) -> Engine:
        raise NotImplementedError

    def _apply(self, deliveries: list[Delivery]) -> None:
        """Handle the batch in one transaction; on a failure, one transaction per event."""
        todo = [d for d in deliveries if d.handler is not None]
        if not todo:
            return
        try:
            with self.engine.begin() as conn:
                self._handle(conn, todo)
        except Exception:
            if len(todo) == 1:
                self._failed(todo[0])
                return
            for delivery in todo:
                try:
                    with self.engine.begin() as conn:
                        self._handle(conn, [delivery])
                except Exception:
                    self._failed(delivery)
                    continue
                self._committed([delivery])
            return
        self._committed(todo)

    def _handle(self, conn: Connection, todo: list[Delivery]) -> None:
        """Claim the batch's ids (those recorded before are not returned), run the handlers for
        the new ones in order; the caller's transaction commits both or neither."""
        unique = list({d.event.event_id: d for d in todo if d.event is not None}.values())
        now = datetime.now(UTC)
        rows = [
            {
                "subscriber": self.name,
                "event_id": delivery.event.event_id,  # type: ignore[union-attr]
                "event_type": delivery.event.event_type,  # type: ignore[union-attr]
                "stream": delivery.stream,
                "stream_sequence": delivery.sequence,
                "handled_at": now,
            }
            for delivery in unique
        ]
        new = self._claim(conn, rows)
        fresh = [d for d in unique if d.event is not None and d.event.event_id in new]
        handled_now = {id(delivery) for delivery in fresh}
        for delivery in todo:
            if id(delivery) not in handled_now:
                delivery.reason = "handled before"
        for event_type, run in groupby(fresh, key=lambda d: d.event.event_type):  # type: ignore[union-attr]
            received = [_received(delivery) for delivery in run]
            handler: Any = self._handlers[event_type]
            if event_type in self._batch_types:
                handler(received, conn)
            else:
                for one in received:
                    handler(one, conn)

    def _claim(self, conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
        """Record the ids; return those not recorded before (one statement where the database
        has ``INSERT ... ON CONFLICT DO NOTHING RETURNING``: PostgreSQL, SQLite >= 3.35)."""
        claim = CLAIM.get(conn.dialect.name)
        if claim is not None:
            return set(conn.execute(claim, rows).scalars())
        ids = [row["event_id"] for row in rows]
        seen = set(
            conn.execute(
                select(handled_events.c.event_id).where(
                    handled_events.c.subscriber == self.name, handled_events.c.event_id.in_(ids)
                )
            ).scalars()
        )
        new = [row for row in rows if row["event_id"] not in seen]
        if new:
            conn.execute(HANDLED, new)
        return {row["event_id"] for row in new}

    def _committed(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            delivery.outcome = Outcome.ACK
        if self.after_commit is not None:
            try:
                self.after_commit([d.event.event_id for d in deliveries if d.event is not None])
            except Exception:  # the effects are committed; without acks they come back, once
                log.exception("after_commit failed: the batch is redelivered and skipped")
                for delivery in deliveries:
                    delivery.outcome = Outcome.RETRY
                    delivery.reason = "after_commit failed"

    def _failed(self, delivery: Delivery) -> None:
        log.exception(
            "handler failed",
            extra={"subscriber": self.name, "stream_sequence": delivery.sequence},
        )
        delivery.outcome, delivery.reason = Outcome.RETRY, "handler failed"


def _received(delivery: Delivery) -> Received[Any]:
    event = delivery.event
    assert event is not None
    return Received(event.data, event, delivery.sequence)
