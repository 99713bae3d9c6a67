"""The timeline of an enterprise, a certificate or a case, read from the four public streams.

An event belongs to the timeline when it is about the subject itself (its subject names the
aggregate: ``ccc.registry.certificate.<NO>.>``) or when its payload names the subject anywhere,
nested records and lists included: a credit code under any key ending in ``credit_code``
(``enterprise_credit_code``, ``holder_credit_code``, ``subject_credit_code``), a certificate
number under ``certificate_number``, a case number under ``case_number``; and every event caused
by one in the timeline (its ``causation_id``, or a payload ``cause_event_id``), so the notices
sent because of a suspension are in the holder's timeline. The streams are the public record,
so the timeline is what every subscriber could have seen, in the order things happened
(``occurred_at``, then the stream sequence).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from nats.js import JetStreamContext

from ccc_audit.streams import EVENT_STREAMS, StreamMessage, read_stream

Kind = Literal["enterprise", "certificate", "case"]
KINDS: tuple[Kind, ...] = ("enterprise", "certificate", "case")

# what names the subject in a payload: a key ending with this suffix
PAYLOAD_KEYS: dict[Kind, str] = {
    "enterprise": "credit_code",
    "certificate": "certificate_number",
    "case": "case_number",
}
# the aggregate type whose id is the subject itself
AGGREGATE_TYPES: dict[Kind, str] = {
    "enterprise": "enterprise",
    "certificate": "certificate",
    "case": "case",
}


@dataclass(frozen=True)
class Subject:
    """What a timeline is about: an enterprise (credit code), a certificate or a case."""

    kind: Kind
    key: str

    def owns(self, message: StreamMessage) -> bool:
        """Whether the message is an event of the subject's own aggregate (by its subject)."""
        tokens = message.subject.split(".")
        return (
            len(tokens) == 5 and tokens[2] == AGGREGATE_TYPES[self.kind] and tokens[3] == self.key
        )

    def named_in(self, payload: Any) -> bool:
        """Whether the payload names the subject under one of its keys, at any depth."""
        suffix = PAYLOAD_KEYS[self.kind]
        if isinstance(payload, dict):
            for name, value in payload.items():
                if name.removesuffix("s").endswith(suffix) and (
                    value == self.key or (isinstance(value, list) and self.key in value)
                ):
                    return True
                if isinstance(value, dict | list) and self.named_in(value):
                    return True
        elif isinstance(payload, list):
            return any(self.named_in(item) for item in payload)
        return False

    def matches(self, message: StreamMessage) -> bool:
        """Whether the message belongs to the subject's timeline."""
        return self.owns(message) or self.named_in(message.envelope.get("data"))


def occurred(message: StreamMessage) -> datetime:
    """When the event happened, as the envelope says."""
    return datetime.fromisoformat(str(message.envelope["occurred_at"]))


def causes(message: StreamMessage) -> set[str]:
    """The events a message names as its cause: ``causation_id``, payload ``*event_id`` keys."""
    envelope = message.envelope
    named = {str(envelope["causation_id"])} if envelope.get("causation_id") else set()
    data = envelope.get("data")
    if isinstance(data, dict):
        named |= {
            value
            for key, value in data.items()
            if key.endswith("event_id") and key != "event_id" and isinstance(value, str)
        }
    return named


async def timeline(
    js: JetStreamContext,
    subject: Subject,
    streams: Sequence[str] = EVENT_STREAMS,
    *,
    follow_causes: bool = True,
) -> list[StreamMessage]:
    """The subject's events across the streams, by ``occurred_at`` then stream sequence.

    With ``follow_causes``, also every event caused by one already in the timeline, however
    far down (a notice sent because of a suspension names the suspension, not the enterprise).
    """
    found: list[StreamMessage] = []
    ids: set[str] = set()
    caused_by: dict[str, list[StreamMessage]] = {}
    for stream in streams:
        async for message in read_stream(js, stream):
            if message.problem:  # not an event: ccc-audit verify names it
                continue
            if subject.matches(message):
                found.append(message)
                ids.add(message.event_id)
            elif follow_causes:
                for cause in causes(message):
                    caused_by.setdefault(cause, []).append(message)
    waiting = list(ids)
    while waiting:
        for message in caused_by.pop(waiting.pop(), []):
            if message.event_id not in ids:
                ids.add(message.event_id)
                found.append(message)
                waiting.append(message.event_id)
    return sorted(found, key=lambda m: (occurred(m), m.sequence, m.stream))


def timeline_row(message: StreamMessage) -> dict[str, Any]:
    """One timeline entry as a JSON object: where it is on the bus, and the envelope."""
    return {
        "stream": message.stream,
        "sequence": message.sequence,
        "subject": message.subject,
        "envelope": message.envelope,
    }


def json_lines(messages: Iterable[StreamMessage]) -> Iterable[str]:
    """The timeline as JSON Lines."""
    for message in messages:
        yield json.dumps(timeline_row(message), ensure_ascii=False, separators=(",", ":"))


def table_rows(messages: Iterable[StreamMessage]) -> Iterable[tuple[str, ...]]:
    """The timeline as text columns: when, where, what, about what, who, because of what."""
    for message in messages:
        envelope = message.envelope
        actor = envelope.get("actor") or {}
        yield (
            str(envelope.get("occurred_at", "")),
            f"{message.stream}#{message.sequence}",
            str(envelope.get("event_type", "")),
            f"{envelope.get('aggregate_type', '')}/{envelope.get('aggregate_id', '')}",
            f"{actor.get('role', '')}:{actor.get('id', '')}",
            str(envelope.get("causation_id") or "-"),
        )


TABLE_COLUMNS = ("occurred_at", "stream#seq", "event_type", "aggregate", "actor", "caused_by")
