"""The event envelope: what every stored and published event carries besides its payload.

Auditors answer "who did this, when, and because of what" from these fields alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.hashing import event_hash
from ccc_contracts.ids import uuid7_text
from ccc_contracts.subjects import event_subject

AGGREGATE_TYPE = re.compile(r"^[a-z][a-z0-9_]*$")
AGGREGATE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def new_event_id() -> UUID:
    """A time-ordered UUID (version 7) for an event or a correlation thread."""
    return UUID(uuid7_text())


def utcnow() -> datetime:
    """The current time, UTC and tz-aware."""
    return datetime.now(UTC)


class Actor(BaseModel):
    """Who did it: a person with a role, or a service reacting on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    role: str = Field(min_length=1)
    name: str | None = None

    @classmethod
    def service(cls, service_name: str) -> Self:
        """The actor for automatic reactions of a service."""
        return cls(id=service_name, role="system", name=service_name)


class StreamId(NamedTuple):
    """One aggregate's stream: its type (snake_case) and its id (safe as a NATS subject token)."""

    aggregate_type: str
    aggregate_id: str

    def check(self) -> StreamId:
        """Reject names that would break a NATS subject, with a message saying which."""
        if not AGGREGATE_TYPE.match(self.aggregate_type):
            raise ValueError(
                f"aggregate_type {self.aggregate_type!r} must match {AGGREGATE_TYPE.pattern}"
            )
        if not AGGREGATE_ID.match(self.aggregate_id):
            raise ValueError(
                f"aggregate_id {self.aggregate_id!r} must match {AGGREGATE_ID.pattern}"
            )
        return self

    def __str__(self) -> str:
        return f"{self.aggregate_type}/{self.aggregate_id}"


class EventMetadata(BaseModel):
    """The why and who of a command, copied onto every event it produces."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Actor
    correlation_id: UUID = Field(default_factory=new_event_id)
    causation_id: UUID | None = None
    occurred_at: AwareDatetime = Field(default_factory=utcnow)

    @classmethod
    def caused_by(cls, cause: RecordedEvent, actor: Actor) -> Self:
        """Metadata for a reaction to ``cause``: same thread, caused by that event."""
        return cls(
            actor=actor,
            correlation_id=UUID(cause.correlation_id),
            causation_id=UUID(cause.event_id),
        )


class WireEnvelope(BaseModel):
    """The published JSON of an event, validated field by field before anything trusts it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str
    schema_version: int = Field(ge=1)
    aggregate_type: str = Field(pattern=AGGREGATE_TYPE.pattern)
    aggregate_id: str = Field(pattern=AGGREGATE_ID.pattern)
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    actor: Actor
    correlation_id: UUID
    causation_id: UUID | None
    source: str
    data: dict[str, Any]
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")

    def computed_hash(self) -> str:
        """The hash this event's content gives: SHA-256 over ``prev_hash`` and the content."""
        return event_hash(
            self.prev_hash,
            event_id=str(self.event_id),
            event_type=self.event_type,
            schema_version=self.schema_version,
            aggregate_type=self.aggregate_type,
            aggregate_id=self.aggregate_id,
            occurred_at=self.occurred_at.astimezone(UTC),
            recorded_at=self.recorded_at.astimezone(UTC),
            actor=self.actor.model_dump_json(),
            correlation_id=str(self.correlation_id),
            causation_id=str(self.causation_id) if self.causation_id else None,
            source=self.source,
            data=_payload_text(self.data),
        )

    def hash_is_intact(self) -> bool:
        """Whether ``hash`` is what the content gives: nothing was changed on the way."""
        return self.computed_hash() == self.hash


def _payload_text(data: Any) -> str:
    """The payload as the store hashed it: a model's compact JSON (as the store wrote it), or a
    parsed payload's compact JSON (the same text: key order and characters are kept)."""
    if isinstance(data, BaseModel):
        return data.model_dump_json()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@cache
def typed_envelope(model: type[EventData]) -> type[WireEnvelope]:
    """``WireEnvelope`` whose ``data`` is validated as ``model`` in the same pass (one parse of
    the message instead of two); for the newest version of a type only."""
    return create_model(f"{model.__name__}Envelope", __base__=WireEnvelope, data=(model, ...))


class HashMismatchError(ValueError):
    """An event whose content does not give the hash it carries."""

    def __init__(self, wire: WireEnvelope) -> None:
        super().__init__(
            f"event {wire.event_id} ({wire.event_type}) carries hash {wire.hash} but its content"
            f" gives {wire.computed_hash()}"
        )
        self.event_id = str(wire.event_id)


def check_hash(raw: bytes | str) -> WireEnvelope:
    """Validate an event's wire JSON and check its hash; raise ``HashMismatchError`` if changed.

    The hash also covers ``prev_hash``: a subscriber that keeps the last hash of each aggregate
    can check that ``prev_hash`` equals it, and so that nothing of the aggregate was skipped.
    """
    wire = WireEnvelope.model_validate_json(raw)
    if not wire.hash_is_intact():
        raise HashMismatchError(wire)
    return wire


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored and published: envelope fields plus its typed payload.

    A plain frozen dataclass: events read from our own store are trusted and built directly
    (pydantic validation of every envelope cost more than the rest of a read); events from
    the bus go through ``from_json``, which validates everything. Ids are canonical strings.
    """

    event_id: str
    event_type: str
    schema_version: int
    aggregate_type: str
    aggregate_id: str
    version: int
    occurred_at: datetime
    recorded_at: datetime
    actor: Actor
    correlation_id: str
    causation_id: str | None
    source: str
    data: EventData
    hash: str
    prev_hash: str
    position: int | None = field(default=None, compare=False)

    @property
    def stream(self) -> StreamId:
        """The aggregate stream this event belongs to."""
        return StreamId(self.aggregate_type, self.aggregate_id)

    def subject(self, context: str) -> str:
        """The NATS subject: ccc.<context>.<aggregate_type>.<aggregate_id>.<EventType>."""
        return event_subject(context, self.aggregate_type, self.aggregate_id, self.event_type)

    def to_json(self) -> bytes:
        """The wire form: UTF-8 JSON, Chinese text kept as text."""
        body = {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "schema_version": self.schema_version,
            "aggregate_type": self.aggregate_type,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "actor": self.actor.model_dump(mode="json"),
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "source": self.source,
            "data": self.data.model_dump(mode="json"),
            "hash": self.hash,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes | str, registry: EventRegistry) -> RecordedEvent:
        """Parse and validate the wire form; the payload is upcast and decoded by its type."""
        return cls.from_wire(WireEnvelope.model_validate_json(raw), registry)

    @classmethod
    def from_wire(cls, wire: WireEnvelope, registry: EventRegistry) -> RecordedEvent:
        """A validated envelope with its payload upcast to the newest version and typed."""
        payload = registry.upcast(wire.event_type, wire.schema_version, wire.data)
        return cls.from_typed(wire, registry.model(wire.event_type).model_validate(payload))

    @classmethod
    def from_typed(cls, wire: WireEnvelope, data: EventData) -> RecordedEvent:
        """A validated envelope and its payload, already typed (``typed_envelope``)."""
        return cls(
            event_id=str(wire.event_id),
            event_type=wire.event_type,
            schema_version=data.schema_version,
            aggregate_type=wire.aggregate_type,
            aggregate_id=wire.aggregate_id,
            version=wire.version,
            occurred_at=wire.occurred_at.astimezone(UTC),
            recorded_at=wire.recorded_at.astimezone(UTC),
            actor=wire.actor,
            correlation_id=str(wire.correlation_id),
            causation_id=str(wire.causation_id) if wire.causation_id else None,
            source=wire.source,
            data=data,
            hash=wire.hash,
            prev_hash=wire.prev_hash,
        )
