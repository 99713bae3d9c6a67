"""Enforcement's events on the running service: complaints and rectification orders bring one
inspection each however often delivered; a completed rectification check reports its result."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from inspection_support import (
    AREAS,
    INSPECTOR,
    InspectionService,
    complaint_received,
    credit_code,
    record,
    rectification_ordered,
    started,
)

from ccc_shared.contracts.enforcement import ComplaintReceived, RectificationOrdered
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.service import react
from inspection.application.reactions import REACTIONS

pytestmark = pytest.mark.integration
TODAY = date(2026, 5, 4)  # the bureau's day in these tests (a Monday)


def with_id(event: RecordedEvent, event_id: str, **data: Any) -> RecordedEvent:
    """The event under a known id (the inspection it causes is named after it), data changed."""
    changed = event.data.model_copy(update=data)
    return dataclasses.replace(event, event_id=event_id, data=changed)


async def of_kind(service: InspectionService, code: str, kind: str) -> list[dict[str, Any]]:
    """The inspections of one kind of an enterprise."""
    return [i for i in await service.inspections_of(code) if i["kind"] == kind]


async def test_a_complaint_delivered_twice_brings_one_follow_up_inspection(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    cause = with_id(complaint_received("CMP-1", code), "0196a1b2-0000-7000-8000-000000000001",
                    received_on=date(2026, 5, 3))  # fmt: skip
    assert isinstance(cause.data, ComplaintReceived)
    await service.publish_enforcement(cause)
    await service.publish_enforcement(cause)
    found = await service.eventually(lambda: of_kind(service, code, "complaint_followup"))
    assert found[0]["inspection_id"] == "complaint-0196a1b2-0000-7000-8000-000000000001"
    assert found[0]["due_on"] == "2026-05-10"  # within 7 days of receipt
    assert "complaint CMP-1 (hotline): no_certificate" in found[0]["cause"]

    handler = react(REACTIONS, service.app.state.application)
    before = service.event_count()
    with service.store.transaction() as conn:  # past the runner's ledger: still none more
        handler(cause, conn)
    assert service.event_count() == before
    assert len(await of_kind(service, code, "complaint_followup")) == 1


async def test_a_rectification_order_is_checked_at_its_deadline_and_the_result_reported(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    ordered = rectification_ordered("CASE-2026-031", code, date(2026, 5, 14))
    cause = with_id(ordered, "0196a1b2-0000-7000-8000-000000000002", ordered_on=TODAY)
    assert isinstance(cause.data, RectificationOrdered)
    await service.publish_enforcement(cause)
    await service.publish_enforcement(cause)
    (check,) = await service.eventually(lambda: of_kind(service, code, "rectification_check"))
    assert check["inspection_id"] == "rectification-0196a1b2-0000-7000-8000-000000000002"
    assert (check["due_on"], check["case_number"]) == ("2026-05-14", "CASE-2026-031")

    await started(service, check["inspection_id"])
    areas = [{"area": a, "result": "conforming"} for a in AREAS[:-1]]
    areas.append({"area": "mark_use", "result": "nonconforming", "notes": "仍在使用3C标志"})
    complete = f"/inspections/{check['inspection_id']}/complete"
    done = await service.command(complete, record(areas=areas), role=INSPECTOR)
    assert [e["event_type"] for e in done["events"]] == [
        "InspectionCompleted",
        "ViolationFound",
        "RectificationChecked",
    ]
    (result,) = await service.eventually(lambda: service.published_of_type("RectificationChecked"))
    assert (result["case_number"], result["passed"]) == ("CASE-2026-031", False)
    assert "use of the 3C mark nonconforming" in result["notes"]
    assert len(await of_kind(service, code, "rectification_check")) == 1


async def test_a_rectification_check_finding_nothing_passes(service: InspectionService) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    cause = rectification_ordered("CASE-2026-032", code, TODAY)
    await service.publish_enforcement(cause)
    (check,) = await service.eventually(lambda: of_kind(service, code, "rectification_check"))
    await started(service, check["inspection_id"])
    complete = f"/inspections/{check['inspection_id']}/complete"
    await service.command(complete, record(), role=INSPECTOR)
    (result,) = await service.eventually(lambda: service.published_of_type("RectificationChecked"))
    assert (result["case_number"], result["passed"]) == ("CASE-2026-032", True)
