"""The event envelope: what every stored and published event carries besides its payload.

Auditors answer "who did this, when, and because of what" from these fields alone.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, NamedTuple, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializeAsAny
from uuid6 import uuid7

from ccc_shared.contracts.base import EventData, EventRegistry

AGGREGATE_TYPE = re.compile(r"^[a-z][a-z0-9_]*$")
AGGREGATE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def new_event_id() -> UUID:
    """A time-ordered UUID (version 7) for an event or a correlation thread."""
    return uuid7()


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
        return cls(actor=actor, correlation_id=cause.correlation_id, causation_id=cause.event_id)


class RecordedEvent(BaseModel):
    """An event as stored and published: envelope fields plus its typed payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str
    schema_version: int
    aggregate_type: str
    aggregate_id: str
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    actor: Actor
    correlation_id: UUID
    causation_id: UUID | None
    source: str
    data: SerializeAsAny[EventData]
    hash: str
    prev_hash: str
    position: int | None = Field(default=None, exclude=True)

    @property
    def stream(self) -> StreamId:
        """The aggregate stream this event belongs to."""
        return StreamId(self.aggregate_type, self.aggregate_id)

    def subject(self, context: str) -> str:
        """The NATS subject: ccc.<context>.<aggregate_type>.<aggregate_id>.<EventType>."""
        return f"ccc.{context}.{self.aggregate_type}.{self.aggregate_id}.{self.event_type}"

    def to_json(self) -> bytes:
        """The wire form: UTF-8 JSON, Chinese text kept as text."""
        body = self.model_dump(mode="json")
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes | str, registry: EventRegistry) -> RecordedEvent:
        """Parse the wire form, validating the envelope and decoding the payload by its type."""
        body: dict[str, Any] = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError("an event must be a JSON object")
        payload = body.get("data")
        if not isinstance(payload, dict):
            raise ValueError("event field 'data' must be a JSON object")
        event_type, schema_version = body.get("event_type"), body.get("schema_version")
        if not isinstance(event_type, str) or not isinstance(schema_version, int):
            raise ValueError("event_type (string) and schema_version (integer) are required")
        upcasted = registry.upcast(event_type, schema_version, payload)
        data = registry.model(event_type).model_validate(upcasted)
        body["data"], body["schema_version"] = data, data.schema_version
        return cls.model_validate(body)
