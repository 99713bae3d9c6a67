"""Inspections over HTTP: lifecycle, contract events on CCC_INSPECTION, refusals change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from inspection_support import ACTOR, InspectionService, credit_code, plan, record, started

from inspection.projections import queries

pytestmark = pytest.mark.integration


async def test_an_inspection_goes_from_plan_to_record_and_publishes_its_contract_events(
    service: InspectionService,
) -> None:
    code = credit_code()
    created = await service.command("/inspections", plan(code, inspection_id="INS-1"))
    assert created["aggregate_id"] == "INS-1"
    await started(service, "INS-1")
    view = (await service.http.get("/inspections/INS-1")).json()
    assert (view["status"], view["inspector"], view["overdue"]) == ("started", "李强", False)
    done = await service.command("/inspections/INS-1/complete", record())
    assert [e["event_type"] for e in done["events"]] == ["InspectionCompleted"]

    other = await service.command("/inspections", plan(code))
    other_id = other["aggregate_id"]
    await service.command(f"/inspections/{other_id}/cancel", {"reason": "enterprise closed"})

    async def all_published() -> bool:
        return await service.published_types(other_id) == [
            "InspectionScheduled",
            "InspectionCancelled",
        ]

    await service.eventually(all_published)
    assert await service.published_types("INS-1") == ["InspectionScheduled", "InspectionCompleted"]
    listed = (await service.http.get("/inspections", params={"enterprise": code})).json()
    assert listed["total"] == 2
    assert {i["status"] for i in listed["items"]} == {"completed", "cancelled"}
    page = await service.http.get("/inspections", params={"status": "completed", "limit": 1})
    assert [i["inspection_id"] for i in page.json()["items"]] == ["INS-1"]
    overdue = await service.http.get("/inspections", params={"overdue": "true"})
    assert overdue.json()["total"] == 0
    assert "/inspections/{inspection_id}/complete" in service.app.openapi()["paths"]


async def test_bad_input_is_refused_and_changes_nothing(service: InspectionService) -> None:
    code = credit_code()
    await service.command("/inspections", plan(code, inspection_id="INS-2"))
    before = service.event_count()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    refusals = [
        ("/inspections", plan(code, kind="raid"), 422),
        ("/inspections", plan("too-short"), 422),
        ("/inspections", plan(code, inspection_id="INS-2"), 409),
        ("/inspections", plan(code, due_on=yesterday), 409),
        ("/inspections/INS-404/assign", {"department": "d", "inspector": "i"}, 404),
        ("/inspections/INS-2/start", {}, 409),
        ("/inspections/INS-2/cancel", {"reason": ""}, 422),
    ]
    for path, body, status in refusals:
        response = await service.http.post(path, json=body, headers=ACTOR)
        assert response.status_code == status, (path, response.text)
    await started(service, "INS-2")
    before = service.event_count()
    unanswered = record(areas=[{"area": "purchasing", "result": "conforming"}])
    response = await service.http.post(
        "/inspections/INS-2/complete", json=unanswered, headers=ACTOR
    )
    assert response.status_code == 409
    assert response.json()["kind"] == "illegal_transition"
    response = await service.http.post(
        "/inspections/INS-2/complete", json=record(areas="x"), headers=ACTOR
    )
    assert response.status_code == 422
    response = await service.http.post("/inspections/INS-2/complete", json=record())
    assert response.status_code == 400
    assert service.event_count() == before
    assert (await service.http.get("/inspections/INS-404")).status_code == 404
    assert (await service.http.get("/inspections/INS-2")).json()["status"] == "started"


async def test_overdue_is_computed_on_the_day_asked(service: InspectionService) -> None:
    code = credit_code()
    await service.command("/inspections", plan(code, inspection_id="INS-3"))
    await service.command("/inspections", plan(code, inspection_id="INS-4"))
    await service.command("/inspections/INS-4/cancel", {"reason": "merged into INS-3"})
    later = date.today() + timedelta(days=8)
    with service.store.reading() as conn:
        total, rows = queries.list_inspections(
            conn, today=later, status=None, enterprise=code, overdue=True, limit=10, offset=0
        )
        assert (total, [r["inspection_id"] for r in rows]) == (1, ["INS-3"])
        assert queries.get_inspection(conn, "INS-4", later)["overdue"] is False  # type: ignore[index]
    assert (await service.http.get("/inspections/INS-3")).json()["overdue"] is False
