"""Inspection and enforcement contract events, published by the test, into dossiers and classes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from registry_support import AUDITOR, Registry, credit_code, register

from ccc_contracts.base import EventData
from ccc_contracts.enforcement import CaseClosed
from ccc_contracts.envelope import Actor, RecordedEvent, StreamId, new_event_id
from ccc_contracts.inspection import ViolationFound

pytestmark = pytest.mark.integration
NO_HASH = "0" * 64
SENT_AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 on the fixture's 2026-03-02, UTC+8


def contract_event(context: str, stream: StreamId, data: EventData) -> RecordedEvent:
    """An event as another service would publish it, on the registry fixture's fixed day."""
    now = SENT_AT
    return RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, stream.aggregate_type,
        stream.aggregate_id, 1, now, now, Actor(id="inspector-3", role="inspector"),
        str(new_event_id()), None, context, data, NO_HASH, NO_HASH,
    )  # fmt: skip


async def publish(registry: Registry, context: str, event: RecordedEvent) -> None:
    """Publish on the other service's stream (no message id: a repeat is stored again)."""
    await registry.nc.jetstream().publish(event.subject(context), event.to_json())


def violation(code: str, violation_id: str) -> RecordedEvent:
    """A ViolationFound from the inspection service."""
    data = ViolationFound(
        violation_id=violation_id,
        enterprise_credit_code=code,
        kind="certificate_invalid",
        article="Order 117 art 52",
        inspection_id="INS1",
    )
    return contract_event("inspection", StreamId("inspection", "INS1"), data)


async def classes(registry: Registry, code: str) -> list[tuple[Any, Any]]:
    """The class changes of an enterprise published on CCC_REGISTRY."""
    messages = await registry.published_on(f"ccc.registry.enterprise.{code}.EnterpriseClassified")
    return [(m["data"]["old_class"], m["data"]["new_class"]) for m in messages]


async def dossier_kinds(registry: Registry, code: str) -> list[str]:
    """The kinds of the enterprise's dossier entries, in time order."""
    dossier = await registry.read(f"/enterprises/{code}/dossier")
    return [entry["kind"] for entry in dossier["entries"]]


async def test_violations_and_cases_enter_the_dossier_and_move_the_class_once(
    registry: Registry,
) -> None:
    code = credit_code()
    await register(registry, code)
    first = violation(code, "V1")
    await publish(registry, "inspection", first)
    await registry.eventually(lambda: classes(registry, code))

    async def reclassified_to_c() -> bool:
        return await classes(registry, code) == [(None, "B"), ("B", "C")]

    await registry.eventually(reclassified_to_c)
    entries = (await registry.read(f"/enterprises/{code}/dossier"))["entries"]
    outside = [e for e in entries if e["kind"] == "violation"]
    assert [(e["event_id"], e["source"]) for e in outside] == [(first.event_id, "inspection")]

    await publish(registry, "inspection", first)  # delivered again: changes nothing
    await publish(registry, "inspection", violation(code, "V2"))

    async def reclassified_to_d() -> bool:
        return (await classes(registry, code))[-1] == ("C", "D")

    await registry.eventually(reclassified_to_d)
    closed = CaseClosed(
        case_number="CASE-1",
        subject_credit_code=code,
        outcome="penalty",
        closed_on=date(2026, 3, 2),
        report_due_on=date(2026, 3, 2),
    )
    await publish(
        registry, "enforcement", contract_event("enforcement", StreamId("case", "C1"), closed)
    )

    async def case_entered() -> bool:
        return "case" in await dossier_kinds(registry, code)

    await registry.eventually(case_entered)
    kinds = await dossier_kinds(registry, code)
    assert kinds.count("violation") == 2
    assert kinds.count("classification") == 3, "a case that leaves the class at D changes nothing"
    noted = [e.event_type for e in registry.store.load(StreamId("enterprise", code))]
    assert noted.count("ViolationNoted") == 2
    assert noted.count("CaseNoted") == 1
    assert await classes(registry, code) == [(None, "B"), ("B", "C"), ("C", "D")]
    enterprise = await registry.read(f"/enterprises/{code}")
    assert enterprise["supervision_class"] == "D"


async def test_a_violation_of_an_unregistered_enterprise_still_enters_its_dossier(
    registry: Registry,
) -> None:
    code = credit_code()
    await publish(registry, "inspection", violation(code, "V9"))

    async def entered() -> bool:
        response = await registry.http.get(f"/enterprises/{code}/dossier", headers=AUDITOR)
        return response.status_code == 200 and await dossier_kinds(registry, code) == ["violation"]

    await registry.eventually(entered)
    assert registry.store.load(StreamId("enterprise", code)) == []
