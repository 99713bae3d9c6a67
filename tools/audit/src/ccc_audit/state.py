"""The state of an aggregate as of a moment: its events recorded by then, replayed.

Replay uses the service's own ``evolve`` (through its ``Aggregate`` record), so the answer is
what the service itself would have decided on at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ccc_audit.services import ServiceStore
from ccc_contracts.envelope import RecordedEvent


@dataclass(frozen=True)
class StateAsOf:
    """An aggregate's state at a moment, with the version and the last event it rests on."""

    aggregate_type: str
    aggregate_id: str
    as_of: datetime | None
    version: int
    last_event: RecordedEvent | None
    state: Any

    def as_json(self) -> dict[str, Any]:
        """The answer as JSON: the state, and which event it stands on."""
        last = self.last_event
        return {
            "aggregate_type": self.aggregate_type,
            "aggregate_id": self.aggregate_id,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "version": self.version,
            "last_event": None
            if last is None
            else {
                "event_id": last.event_id,
                "event_type": last.event_type,
                "occurred_at": last.occurred_at.isoformat(),
                "recorded_at": last.recorded_at.isoformat(),
                "actor": last.actor.model_dump(mode="json"),
            },
            "state": _jsonable(self.state),
        }


def state_as_of(
    service: ServiceStore, aggregate_type: str, aggregate_id: str, as_of: datetime | None
) -> StateAsOf:
    """Replay the aggregate's events recorded up to ``as_of`` (all of them if None)."""
    aggregate = service.aggregate(aggregate_type)
    events = service.store.load(aggregate.stream(aggregate_id), as_of=as_of)
    state = aggregate.replay(event.data for event in events)
    return StateAsOf(
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        as_of=as_of,
        version=events[-1].version if events else 0,
        last_event=events[-1] if events else None,
        state=state,
    )


# Order 117 art 48: an informant's identity and contact stay with the case officer handling
# the complaint. Auditors read everything else; these fields they see masked, as published.
CONFIDENTIAL = frozenset({"informant", "informant_contact"})
MASK = "***"


def _jsonable(state: Any) -> Any:
    if isinstance(state, BaseModel):
        return _masked(state.model_dump(mode="json"))
    return _masked(state)


def _masked(value: Any) -> Any:
    """``value`` with every confidential field (at any depth) masked."""
    if isinstance(value, dict):
        return {
            key: (MASK if key in CONFIDENTIAL and item is not None else _masked(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
