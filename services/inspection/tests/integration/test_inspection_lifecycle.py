"""Inspections over HTTP: lifecycle, contract events on CCC_INSPECTION, refusals change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from inspection_support import (
    ASSIGNEE,
    HEAD,
    INSPECTOR,
    InspectionService,
    credit_code,
    plan,
    record,
    started,
)

from ccc_contracts.envelope import StreamId
from ccc_shared.testing.actors import actor_headers
from inspection.projections import queries

pytestmark = pytest.mark.integration


async def test_an_inspection_goes_from_plan_to_record_and_publishes_its_contract_events(
    service: InspectionService,
) -> None:
    code = credit_code()
    created = await service.command("/inspections", plan(code, inspection_id="INS-1"), role=HEAD)
    assert created["aggregate_id"] == "INS-1"
    await started(service, "INS-1")
    view = await service.read("/inspections/INS-1", INSPECTOR)
    assert (view["status"], view["inspector"], view["overdue"]) == ("started", ASSIGNEE, False)
    done = await service.command("/inspections/INS-1/complete", record(), role=INSPECTOR)
    assert [e["event_type"] for e in done["events"]] == ["InspectionCompleted"]
    events = service.store.load(StreamId("inspection", "INS-1"))
    assert [(e.actor.id, e.actor.role) for e in events] == [
        ("head-1", HEAD),  # scheduled
        ("head-1", HEAD),  # assigned
        ("inspector-7", INSPECTOR),  # started
        ("inspector-7", INSPECTOR),  # completed
    ]

    other = await service.command("/inspections", plan(code), role=INSPECTOR)
    other_id = other["aggregate_id"]
    reason = {"reason": "enterprise closed"}
    await service.command(f"/inspections/{other_id}/cancel", reason, role=HEAD)

    async def all_published() -> bool:
        return await service.published_types(other_id) == [
            "InspectionScheduled",
            "InspectionCancelled",
        ]

    await service.eventually(all_published)
    assert await service.published_types("INS-1") == ["InspectionScheduled", "InspectionCompleted"]
    listed = await service.read("/inspections", enterprise=code)
    assert listed["total"] == 2
    assert {i["status"] for i in listed["items"]} == {"completed", "cancelled"}
    page = await service.read("/inspections", HEAD, status="completed", limit=1)
    assert [i["inspection_id"] for i in page["items"]] == ["INS-1"]
    overdue = await service.read("/inspections", INSPECTOR, overdue="true")
    assert overdue["total"] == 0
    assert "/inspections/{inspection_id}/complete" in service.app.openapi()["paths"]


async def test_bad_input_is_refused_and_changes_nothing(service: InspectionService) -> None:
    code = credit_code()
    await service.command("/inspections", plan(code, inspection_id="INS-2"), role=HEAD)
    before = service.event_count()
    yesterday = "2026-05-03"  # the day before the fixture's fixed bureau date
    refusals = [
        ("/inspections", plan(code, kind="raid"), HEAD, 422),
        ("/inspections", plan("too-short"), INSPECTOR, 422),
        ("/inspections", plan(code, inspection_id="INS-2"), HEAD, 409),
        ("/inspections", plan(code, due_on=yesterday), INSPECTOR, 409),
        ("/inspections/INS-404/assign", {"department": "d", "inspector": "i"}, HEAD, 404),
        ("/inspections/INS-2/start", {}, INSPECTOR, 409),
        ("/inspections/INS-2/cancel", {"reason": ""}, HEAD, 422),
        ("/inspections/INS-2/cancel", {"reason": "not mine to call off"}, INSPECTOR, 403),
    ]
    for path, body, role, status in refusals:
        response = await service.post(path, body, role=role)
        assert response.status_code == status, (path, role, response.text)
    assert service.event_count() == before
    await started(service, "INS-2")
    before = service.event_count()
    complete = "/inspections/INS-2/complete"
    unanswered = record(areas=[{"area": "purchasing", "result": "conforming"}])
    response = await service.post(complete, unanswered, role=INSPECTOR)
    assert response.status_code == 409
    assert response.json()["kind"] == "illegal_transition"
    response = await service.post(complete, record(areas="x"), role=INSPECTOR)
    assert response.status_code == 422
    response = await service.http.post(complete, json=record())  # no token: nobody
    assert response.status_code == 401
    assert service.event_count() == before
    assert (await service.get("/inspections/INS-404")).status_code == 404
    assert (await service.read("/inspections/INS-2"))["status"] == "started"


async def test_overdue_is_computed_on_the_day_asked(service: InspectionService) -> None:
    code = credit_code()
    await service.command("/inspections", plan(code, inspection_id="INS-3"), role=HEAD)
    await service.command("/inspections", plan(code, inspection_id="INS-4"), role=HEAD)
    merged = {"reason": "merged into INS-3"}
    await service.command("/inspections/INS-4/cancel", merged, role=HEAD)
    later = date(2026, 5, 12)  # the day after the patrols' due date (2026-05-11)
    with service.store.reading() as conn:
        total, rows = queries.list_inspections(
            conn, today=later, status=None, enterprise=code, overdue=True, limit=10, offset=0
        )
        assert (total, [r["inspection_id"] for r in rows]) == (1, ["INS-3"])
        assert queries.get_inspection(conn, "INS-4", later)["overdue"] is False  # type: ignore[index]
    assert (await service.read("/inspections/INS-3"))["overdue"] is False


async def test_an_inspection_assigned_to_a_named_user_is_carried_out_by_them(
    service: InspectionService,
) -> None:
    code = credit_code()
    scheduled = await service.command("/inspections", plan(code), role="section_head")
    inspection_id = scheduled["aggregate_id"]
    assignment = {"department": "监督科", "inspector": "王芳", "inspector_id": "inspector-7"}
    await service.command(f"/inspections/{inspection_id}/assign", assignment, role="section_head")
    before = service.event_count()
    other = await service.http.post(
        f"/inspections/{inspection_id}/start",
        headers=actor_headers("inspector", user_id="inspector-9", name="赵六"),
    )
    assert other.status_code == 403
    assert "assigned to inspector-7" in other.json()["detail"]
    assert service.event_count() == before
    await service.command(f"/inspections/{inspection_id}/start", role="inspector")  # inspector-7
    completed = await service.command(
        f"/inspections/{inspection_id}/complete", record(inspectors=["王芳"]), role="section_head"
    )
    assert "InspectionCompleted" in [e["event_type"] for e in completed["events"]]
