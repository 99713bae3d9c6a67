"""A subscriber checks an event's hash from its wire JSON alone, as the store computed it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from published import Bureau, certificate, suspension, violation

from ccc_contracts.envelope import HashMismatchError, StreamId, check_hash

pytestmark = pytest.mark.integration


@pytest.fixture
def bureau(tmp_path: Path) -> Iterator[Bureau]:
    bureau = Bureau(tmp_path)
    yield bureau
    bureau.close()


def test_published_events_carry_the_hash_their_content_gives(bureau: Bureau) -> None:
    number = "2026010901000001"
    published = bureau.record(
        "registry", StreamId("certificate", number), certificate(number), suspension(number)
    )
    findings = violation("V-1", number, v1=True), violation("V-2", number)
    published += bureau.record("inspection", StreamId("inspection", "INS-1"), *findings)
    for event in published:
        assert check_hash(event.body).event_id.hex == event.event_id.replace("-", "")
    first, second = (check_hash(event.body) for event in published[:2])
    assert second.prev_hash == first.hash  # the chain of the certificate's stream


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", "跟踪检查拒绝"), ("effective_on", "2026-11-28")],
)
def test_a_changed_payload_is_caught(bureau: Bureau, field: str, value: str) -> None:
    number = "2026010901000002"
    (event,) = bureau.record("registry", StreamId("certificate", number), suspension(number))
    forged = json.loads(event.body)
    forged["data"][field] = value
    with pytest.raises(HashMismatchError, match=event.event_id):
        check_hash(json.dumps(forged, ensure_ascii=False))


def test_a_changed_actor_is_caught(bureau: Bureau) -> None:
    number = "2026010901000003"
    (event,) = bureau.record("registry", StreamId("certificate", number), suspension(number))
    forged = json.loads(event.body)
    forged["actor"]["id"] = "someone-else"
    with pytest.raises(HashMismatchError):
        check_hash(json.dumps(forged))
