"""Inspection's events: one case per violation however delivered, referral, verification."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from enforcement_support import (
    OFFICER,
    EnforcementService,
    credit_code,
    handled,
    inspection_event,
    minor_finding,
    rectification_checked,
    violation,
)
from sqlalchemy import Connection

from ccc_shared.contracts.inspection import ViolationFoundV1
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.service import react
from enforcement.application.reactions import REACTIONS

pytestmark = pytest.mark.integration


async def test_a_violation_opens_exactly_one_case_however_often_it_is_delivered(
    service: EnforcementService,
) -> None:
    code = credit_code()
    runner = service.app.state.kernel.runners[0]
    original = runner.handler
    failed: list[str] = []

    def fails_first_delivery_after_its_work(event: RecordedEvent, conn: Connection) -> None:
        """V2's first delivery fails after opening its case (the optimistic and the savepoint
        pass both), so the runner rolls it back and the server redelivers it."""
        original(event, conn)
        if event.data.violation_id.endswith("V2") and len(failed) < 2:  # type: ignore[attr-defined]
            failed.append(event.event_id)
            raise RuntimeError("lost the connection after opening the case")

    runner.handler = fails_first_delivery_after_its_work
    first = violation(code, "INS-1/V1")
    await service.publish_inspection(first, msg_id="a")
    await service.publish_inspection(first, msg_id="b")  # past JetStream's dedup, same event_id
    v1 = ViolationFoundV1(
        violation_id="INS-1/V1", enterprise_credit_code=code, kind="no_certificate",
        article="Order 117 art 49",
    )  # fmt: skip
    await service.publish_inspection(inspection_event("INS-1", v1))  # the same violation, v1
    await service.publish_inspection(violation(code, "INS-1/V2"))  # redelivered after a failure

    async def two_cases() -> list[dict[str, Any]] | None:
        found = await service.cases_of(code)
        return found if len(found) >= 2 else None

    cases = await service.eventually(two_cases)
    await runner.wait_idle()
    assert failed
    assert runner.metrics.retried >= 1
    assert sorted(c["violation_id"] for c in await service.cases_of(code)) == [
        "INS-1/V1",
        "INS-1/V2",
    ]
    assert {c["status"] for c in cases} == {"clue"}
    handler = react(REACTIONS, service.app.state.application)
    before = service.event_count()
    with service.store.transaction() as conn:  # past the runner's ledger: still no second case
        handler(first, conn)
        handler(first, conn)
    assert service.event_count() == before
    reconciliation = await service.get("/reconciliation")
    assert reconciliation == {
        "violations_seen": 2,
        "violations_without_case": [],
        "cases_by_status": {"clue": 2},
    }
    figures = await service.get("/figures")
    assert (figures["handling_rate"], figures["cases"], figures["cases_closed"]) == (1.0, 2, 0)

    async def opened_published() -> bool:
        published = [m for m in await service.published() if m["event_type"] == "CaseOpened"]
        return len(published) == 2

    await service.eventually(opened_published)
    opened = [m for m in await service.published() if m["event_type"] == "CaseOpened"]
    assert {m["actor"]["role"] for m in opened} == {"system"}
    assert all(m["causation_id"] for m in opened)


async def test_a_violator_outside_the_jurisdiction_is_referred_then_answered(
    service: EnforcementService,
) -> None:
    code = credit_code()
    found = violation(
        code, "INS-2/V1", kind="external", external_jurisdiction="320100", found_at="某商场"
    )
    await service.publish_inspection(found)
    cases = await service.eventually(lambda: service.cases_of(code))
    number = cases[0]["case_number"]
    assert (cases[0]["status"], cases[0]["referred_to"]) == ("referred", "320100")

    async def referred() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "CaseReferred"]

    published = (await service.eventually(referred))[0]
    assert published["data"]["to_jurisdiction"] == "320100"
    assert published["causation_id"] == found.event_id
    answer = {"accepted": False, "remarks": "maker moved back"}
    await service.command(f"/cases/{number}/referral/answer", answer, OFFICER)
    view = await service.get(f"/cases/{number}")
    assert (view["status"], view["referred_to"]) == ("clue", None)
    assert view["register_decision_due_on"] == "2026-03-23"


async def test_a_failed_rectification_check_is_verified_failed_and_escalates(
    service: EnforcementService,
) -> None:
    code = credit_code()
    opened = await service.command(
        "/cases", {"subject_credit_code": code, "problem": "no_certificate"}
    )
    number = opened["aggregate_id"]
    await handled(service, number)
    order = {"requirement": "停产整改, 取得认证", "deadline": "2026-03-16"}
    await service.command(f"/cases/{number}/rectification", order)
    await service.publish_inspection(rectification_checked(code, number, passed=False))

    async def verified() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "RectificationVerified"]

    published = (await service.eventually(verified))[0]
    assert (published["data"]["passed"], published["data"]["escalated_to"]) == (
        False,
        "section_head",
    )
    view = await service.get(f"/cases/{number}")
    assert (view["rectification_failed"], view["rectification_deadline"]) == (True, None)
    refused = await service.http.post(
        f"/cases/{number}/no-penalty", json={"reason_code": "rectified"}, headers=OFFICER
    )
    assert refused.status_code == 409
    assert "decide a penalty" in refused.json()["detail"]

    service.clock.day = date(2026, 3, 23)  # a new order after the check of the first one
    await service.command(f"/cases/{number}/rectification", {**order, "deadline": "2026-04-10"})
    old_check = rectification_checked(code, number, passed=True)  # checked 2026-03-20, re-sent
    await service.publish_inspection(old_check)
    await service.app.state.kernel.runners[0].wait_idle()
    view = await service.get(f"/cases/{number}")
    assert view["rectification_deadline"] == "2026-04-10"  # still awaiting its own check


async def test_a_minor_finding_is_recorded_as_handled_by_guidance_once(
    service: EnforcementService,
) -> None:
    code = credit_code()
    finding = minor_finding(code, "INS-1/F1")
    await service.publish_inspection(finding, msg_id="f-a")
    await service.publish_inspection(finding, msg_id="f-b")
    await service.publish_inspection(minor_finding(code, "INS-1/F1"))  # republished, new event id

    async def guided() -> bool:
        return bool((await service.get("/figures"))["minor_findings_guided"])

    await service.eventually(guided)
    await service.app.state.kernel.runners[0].wait_idle()
    figures = await service.get("/figures")
    assert (figures["minor_findings_guided"], figures["cases"]) == (1, 0)
    recorded = [e for e in service.store.read_all(0, 1000) if e.event_type == "GuidanceRecorded"]
    assert len(recorded) == 1
    assert (recorded[0].actor.role, recorded[0].causation_id) == ("system", finding.event_id)
