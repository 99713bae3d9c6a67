"""Verify a service: its hash chains, and that its store and its NATS stream tell one story.

The stream must hold the store's published events (its contract events), and only those,
with the same ids in the same order and the same hashes; events still waiting in the outbox
may be missing from the stream's tail, nowhere else. Every message that is not an event
envelope (malformed) or not a published event of the store (unexpected) is named with its
stream and sequence, and the comparison goes on without it; then the first disagreement in
order is reported with both sides' positions, since everything after it is suspect.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from sqlalchemy import func, select

from ccc_audit.services import ServiceStore
from ccc_audit.streams import StreamMessage, read_stream
from ccc_shared.eventstore.schema import events, outbox
from ccc_shared.eventstore.verify import TamperFinding


@dataclass(frozen=True)
class StoredEvent:
    """What the comparison needs of a stored event."""

    position: int
    event_id: str
    event_type: str
    hash: str


@dataclass
class Verification:
    """The verdict on one service's store and stream."""

    service: str
    stream: str
    events: int = 0
    findings: list[TamperFinding] = field(default_factory=list)
    published: int = 0
    on_stream: int = 0
    pending: int = 0
    disagreement: str | None = None
    stream_checked: bool = False
    strangers: list[str] = field(default_factory=list)  # malformed or unexpected messages

    @property
    def ok(self) -> bool:
        """Whether the chains are intact and (when checked) the stream agrees."""
        return not self.findings and self.disagreement is None and not self.strangers

    def lines(self) -> list[str]:
        """The verdict as lines of text."""
        head = f"{self.service}: {self.events} events, hash chains "
        head += "intact" if not self.findings else f"BROKEN in {len(self.findings)} streams"
        lines = [head, *(f"  {finding}" for finding in self.findings)]
        if self.stream_checked:
            agreement = (
                f"agrees ({self.on_stream} messages, {self.pending} waiting in the outbox)"
                if self.disagreement is None
                else f"DISAGREES: {self.disagreement}"
            )
            if self.strangers and self.disagreement is None:
                agreement = f"DISAGREES: {len(self.strangers)} messages are not its events"
            lines.append(f"{self.service}: store and stream {self.stream} {agreement}")
            lines += [f"  {stranger}" for stranger in self.strangers]
        return lines


def verify_chains(service: ServiceStore) -> Verification:
    """Check every stream's hash chain and head in the service's store."""
    result = Verification(service.name, service.stream)
    result.findings = service.store.verify()
    with service.store.reading() as conn:
        result.events = int(conn.execute(select(func.count()).select_from(events)).scalar_one())
    return result


def published_events(service: ServiceStore) -> tuple[list[StoredEvent], set[str]]:
    """The store's published events in commit order, and the ids still in the outbox."""
    published = service.store.published
    query = select(events.c.position, events.c.event_id, events.c.event_type, events.c.hash)
    with service.store.reading() as conn:
        # the store's commit order, which the relay publishes in (see eventstore.sql)
        rows = conn.execute(query.order_by(events.c.tx, events.c.position)).all()
        pending = {row[0] for row in conn.execute(select(outbox.c.event_id))}
    stored = [
        StoredEvent(row[0], row[1], row[2], row[3])
        for row in rows
        if published is None or published.knows(row[2])
    ]
    return stored, pending


async def verify_service(service: ServiceStore, js: JetStreamContext | None) -> Verification:
    """Chains, and (given a JetStream context) the agreement of store and stream."""
    result = await asyncio.to_thread(verify_chains, service)
    if js is None:
        return result
    stored, pending = await asyncio.to_thread(published_events, service)
    everything = [message async for message in read_stream(js, service.stream)]
    result.stream_checked = True
    result.published, result.on_stream = len(stored), len(everything)
    result.pending = sum(1 for event in stored if event.event_id in pending)
    known = {event.event_id for event in stored}
    if any(m.problem is None and m.event_id not in known for m in everything):
        # events published between the two reads: compare with the store as it is now, as far
        # as the stream goes (the store was read first, so it now holds all the stream has)
        later, _ = await asyncio.to_thread(published_events, service)
        known = {event.event_id for event in later}
        messages = [message for message in everything if _is_known(message, known)]
        stored, pending = later[: len(messages)], set()
    messages = [message for message in everything if _is_known(message, known)]
    result.strangers = [describe_stranger(m) for m in everything if not _is_known(m, known)]
    result.disagreement = first_disagreement(stored, pending, messages)
    return result


def _is_known(message: StreamMessage, known: set[str]) -> bool:
    return message.problem is None and message.event_id in known


def describe_stranger(message: StreamMessage) -> str:
    """One line naming a message the store does not explain: where it sits and why."""
    why = message.problem or (
        f"event {message.event_id} ({message.envelope.get('event_type')})"
        " is not a published event of the store"
    )
    return f"{message.stream} sequence {message.sequence} ({message.subject}): {why}"


def first_disagreement(
    stored: Sequence[StoredEvent], pending: set[str], messages: Sequence[StreamMessage]
) -> str | None:
    """Where store and stream first tell different stories (None if they agree)."""
    for index, event in enumerate(stored):
        if index >= len(messages):
            missing = [e.event_id for e in stored[index:] if e.event_id not in pending]
            if missing:
                return (
                    f"event {missing[0]} is in the store but not on the stream"
                    f" nor waiting in the outbox (store has {len(stored)} published,"
                    f" stream {len(messages)} messages)"
                )
            return None
        message = messages[index]
        if message.event_id != event.event_id:
            return (
                f"published event #{index + 1}: store has {event.event_id} ({event.event_type},"
                f" position {event.position}), stream has {message.event_id}"
                f" ({message.envelope.get('event_type')}, sequence {message.sequence})"
            )
        if message.envelope.get("hash") != event.hash:
            return (
                f"event {event.event_id} (stream sequence {message.sequence}) differs:"
                f" hash on the stream {message.envelope.get('hash')}, in the store {event.hash}"
            )
    if len(messages) > len(stored):
        extra = messages[len(stored)]
        return (
            f"stream message {extra.sequence} (event {extra.event_id}) is not"
            " a published event of the store"
        )
    return None
