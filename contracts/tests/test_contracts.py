"""Contracts: registry lookups, upcasting, and a JSON-schema snapshot of every published event.

A changed snapshot means a published event changed shape: subscribers break. Bump its
``schema_version`` and add an upcaster instead; refresh snapshots on purpose with
``UPDATE_CONTRACT_SNAPSHOTS=1 make test``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from ccc_contracts import all_contracts
from ccc_contracts.base import EventData, EventRegistry, UnknownEventTypeError

SNAPSHOTS = Path(__file__).parent / "contract_snapshots"
CONTRACTS = all_contracts().models()


@pytest.mark.unit
@pytest.mark.parametrize(
    "model", CONTRACTS, ids=[f"{m.event_type}.v{m.schema_version}" for m in CONTRACTS]
)
def test_published_event_schema_matches_its_snapshot(model: type[EventData]) -> None:
    schema = json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True)
    path = SNAPSHOTS / f"{model.event_type}.v{model.schema_version}.json"
    if os.environ.get("UPDATE_CONTRACT_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(schema + "\n", encoding="utf-8")
    assert path.exists(), f"no snapshot for {path.name}: run UPDATE_CONTRACT_SNAPSHOTS=1 make test"
    assert path.read_text(encoding="utf-8") == schema + "\n", (
        f"{model.event_type} v{model.schema_version} changed shape; publish a new schema_version"
        " with an upcaster instead"
    )


@pytest.mark.unit
def test_every_snapshot_belongs_to_a_registered_contract() -> None:
    known = {f"{m.event_type}.v{m.schema_version}.json" for m in CONTRACTS}
    assert {p.name for p in SNAPSHOTS.glob("*.json")} == known


class PatrolV1(EventData):
    event_type = "PatrolDone"
    inspector: str


class PatrolV2(EventData):
    event_type = "PatrolDone"
    schema_version = 2
    inspectors: list[str]


def versioned_registry() -> EventRegistry:
    registry = EventRegistry()
    registry.register(PatrolV1)
    registry.register(PatrolV2)

    @registry.upcaster("PatrolDone", from_version=1)
    def one_inspector_to_many(payload: dict[str, object]) -> dict[str, object]:
        return {"inspectors": [payload["inspector"]]}

    return registry


@pytest.mark.unit
def test_old_version_is_decoded_as_the_newest_through_its_upcaster() -> None:
    decoded = versioned_registry().decode("PatrolDone", 1, '{"inspector": "李明"}')
    assert decoded == PatrolV2(inspectors=["李明"])


@pytest.mark.unit
def test_unknown_type_and_future_version_are_refused_by_name() -> None:
    registry = versioned_registry()
    with pytest.raises(UnknownEventTypeError, match="'Nonsense'"):
        registry.decode("Nonsense", 1, "{}")
    with pytest.raises(UnknownEventTypeError, match="schema_version 3"):
        registry.decode("PatrolDone", 3, "{}")


@pytest.mark.unit
def test_missing_upcaster_is_a_clear_error() -> None:
    registry = EventRegistry()
    registry.register(PatrolV1)
    registry.register(PatrolV2)
    with pytest.raises(LookupError, match="no upcaster for PatrolDone from schema_version 1"):
        registry.decode("PatrolDone", 1, '{"inspector": "x"}')


@pytest.mark.unit
def test_invalid_payload_is_refused() -> None:
    with pytest.raises(ValidationError):
        versioned_registry().decode("PatrolDone", 2, '{"inspectors": "not a list"}')


@pytest.mark.unit
def test_one_type_and_version_cannot_name_two_models() -> None:
    class Impostor(EventData):
        event_type = "PatrolDone"

    registry = versioned_registry()
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Impostor)
