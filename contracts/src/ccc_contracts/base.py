"""The shape every event payload shares, and the registry that names them.

A payload is a frozen pydantic model with a class-level ``event_type`` and ``schema_version``.
The registry maps (event_type, schema_version) to its model; upcasters turn an old version's
JSON into the next one, so stored events keep their version and are read back as the newest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from ccc_contracts.text import EVENT_TEXT_MAX


class EventData(BaseModel):
    """Payload of one event; subclasses set ``event_type`` and ``schema_version``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=EVENT_TEXT_MAX)

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1


ModelT = TypeVar("ModelT", bound=type["EventData"])

EVENT_TYPE = re.compile(r"^[A-Z][A-Za-z0-9]{0,99}$")  # PascalCase: the last token of a subject

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventTypeError(LookupError):
    """An event type (or version) that no registered model describes."""

    def __init__(self, event_type: str, schema_version: int) -> None:
        super().__init__(f"unknown event type {event_type!r} schema_version {schema_version}")
        self.event_type = event_type
        self.schema_version = schema_version


class EventRegistry:
    """Maps (event_type, schema_version) to payload models, with upcasters between versions."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, int], type[EventData]] = {}
        self._latest: dict[str, int] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: ModelT) -> ModelT:
        """Register a payload model under its type and version (usable as a decorator)."""
        if not EVENT_TYPE.match(model.event_type):
            raise ValueError(f"event_type {model.event_type!r} must match {EVENT_TYPE.pattern}")
        key = (model.event_type, model.schema_version)
        existing = self._models.get(key)
        if existing is not None and existing is not model:
            raise ValueError(f"{key} is already registered to {existing.__qualname__}")
        self._models[key] = model
        self._latest[model.event_type] = max(
            self._latest.get(model.event_type, 0), model.schema_version
        )
        return model

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function turning ``from_version`` JSON into ``from_version + 1`` JSON."""

        def add(function: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = function
            return function

        return add

    def include(self, other: EventRegistry) -> None:
        """Add every model and upcaster of another registry to this one."""
        for model in other._models.values():
            self.register(model)
        self._upcasters.update(other._upcasters)

    def model(self, event_type: str, schema_version: int | None = None) -> type[EventData]:
        """The model for a type at a version (default: the newest)."""
        version = self.latest_version(event_type) if schema_version is None else schema_version
        try:
            return self._models[(event_type, version)]
        except KeyError:
            raise UnknownEventTypeError(event_type, version) from None

    def latest_version(self, event_type: str) -> int:
        """The newest registered schema version of an event type."""
        try:
            return self._latest[event_type]
        except KeyError:
            raise UnknownEventTypeError(event_type, 0) from None

    def knows(self, event_type: str) -> bool:
        """Whether any version of this event type is registered."""
        return event_type in self._latest

    def models(self) -> list[type[EventData]]:
        """Every registered model, sorted by type and version."""
        return [self._models[key] for key in sorted(self._models)]

    def decode(self, event_type: str, schema_version: int, data: str | bytes) -> EventData:
        """Validate stored JSON as the newest version of its type, upcasting on the way."""
        latest = self.latest_version(event_type)
        if schema_version == latest:
            return self.model(event_type, latest).model_validate_json(data)
        if schema_version > latest:
            raise UnknownEventTypeError(event_type, schema_version)
        payload: dict[str, Any] = json.loads(data)
        return self.model(event_type, latest).model_validate(
            self.upcast(event_type, schema_version, payload)
        )

    def upcast(
        self, event_type: str, schema_version: int, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply upcasters from ``schema_version`` up to the newest version."""
        latest = self.latest_version(event_type)
        for version in range(schema_version, latest):
            try:
                payload = self._upcasters[(event_type, version)](payload)
            except KeyError:
                raise LookupError(
                    f"no upcaster for {event_type} from schema_version {version} to {version + 1}"
                ) from None
        return payload
