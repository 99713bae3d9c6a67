"""Properties of the hash chain, without a database: no single tampering goes unnoticed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccc_contracts.hashing import GENESIS, event_hash
from ccc_shared.eventstore.verify import verify_stream

pytestmark = pytest.mark.unit
START = datetime(2026, 11, 27, tzinfo=UTC)


def chain(length: int) -> list[SimpleNamespace]:
    """A correctly chained stream of ``length`` events, as rows."""
    rows, prev = [], GENESIS
    for index in range(length):
        fields = {
            "event_id": f"event-{index}",
            "event_type": "SampleRecorded",
            "schema_version": 1,
            "aggregate_type": "certificate",
            "aggregate_id": "2020010901234567",
            "occurred_at": START + timedelta(minutes=index),
            "recorded_at": START + timedelta(minutes=index),
            "actor": '{"id":"inspector-1","role":"inspector","name":null}',
            "correlation_id": "thread",
            "causation_id": None,
            "source": "test",
            "data": f'{{"sequence":{index}}}',
        }
        digest = event_hash(prev, **fields)
        rows.append(SimpleNamespace(**fields, version=index + 1, position=index + 1,
                                    prev_hash=prev, hash=digest))  # fmt: skip
        prev = digest
    return rows


def head_of(rows: list[SimpleNamespace]) -> SimpleNamespace:
    return SimpleNamespace(version=len(rows), hash=rows[-1].hash)


def renumber(rows: list[SimpleNamespace]) -> list[SimpleNamespace]:
    """What a reader sees: rows sorted by their (possibly edited) version numbers."""
    return sorted(rows, key=lambda row: row.version)


@given(st.integers(1, 12))
def test_an_untouched_stream_verifies(length: int) -> None:
    rows = chain(length)
    assert verify_stream(rows, head_of(rows)) is None


@given(st.integers(1, 12), st.data())
def test_any_changed_field_is_named(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    head = head_of(rows)
    target = data.draw(st.integers(0, length - 1))
    field = data.draw(st.sampled_from(["data", "actor", "event_type", "source", "causation_id"]))
    setattr(rows[target], field, '{"forged":true}')
    finding = verify_stream(rows, head)
    assert finding is not None
    assert finding.kind == "changed"
    assert finding.version == target + 1


@given(st.integers(2, 12), st.data())
def test_any_removed_event_is_noticed(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    head = head_of(rows)
    target = data.draw(st.integers(0, length - 1))
    del rows[target]
    finding = verify_stream(rows, head)
    assert finding is not None
    assert finding.kind == "removed"


@given(st.integers(2, 12), st.data())
def test_any_two_swapped_events_are_noticed(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    head = head_of(rows)
    first = data.draw(st.integers(0, length - 2))
    second = data.draw(st.integers(first + 1, length - 1))
    rows[first].version, rows[second].version = rows[second].version, rows[first].version
    finding = verify_stream(renumber(rows), head)
    assert finding is not None
    assert finding.kind == "reordered"


@given(st.integers(1, 12), st.data())
def test_any_inserted_event_is_named_even_with_a_forged_hash(
    length: int, data: st.DataObject
) -> None:
    rows = chain(length)
    head = head_of(rows)
    at = data.draw(st.integers(0, length))
    prev = rows[at - 1].hash if at else GENESIS
    forged = SimpleNamespace(**{**vars(rows[0]), "event_id": "forged", "data": '{"x":1}'})
    forged.prev_hash = prev
    forged.hash = event_hash(prev, **{k: getattr(forged, k) for k in HASHED})
    for row in rows[at:]:
        row.version += 1
    forged.version = at + 1
    finding = verify_stream(renumber([*rows, forged]), head)
    assert finding is not None
    assert (finding.kind, finding.event_id) == ("inserted", "forged")


HASHED = (
    "event_id", "event_type", "schema_version", "aggregate_type", "aggregate_id", "occurred_at",
    "recorded_at", "actor", "correlation_id", "causation_id", "source", "data",
)  # fmt: skip
