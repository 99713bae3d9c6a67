"""The patrol plan on the running service: fed by the registry's events, run on demand, idempotent,
re-planned on a new class exactly once, with coverage per period and the section head's workload."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from inspection_support import (
    HEAD,
    INSPECTOR,
    SYSTEM,
    InspectionService,
    classified,
    credit_code,
    enterprise_registered,
    plan,
    record,
    registered,
    started,
    suspended,
)

from ccc_shared.service import react
from inspection.application.reactions import REACTIONS
from inspection.projections.queries import certificate_facts

pytestmark = pytest.mark.integration
TODAY = date(2026, 5, 4)  # the bureau's day in these tests (a Monday)


async def planned_codes(service: InspectionService) -> list[str]:
    """The enterprises in the patrol plan."""
    return [row["credit_code"] for row in await service.read("/patrol-plan")]


async def run_plan(service: InspectionService) -> list[str]:
    """Run the plan now, as the scheduler does; the patrols it scheduled."""
    response = await service.post("/patrol-plan/run", role=SYSTEM)
    assert response.status_code == 200, response.text
    scheduled: list[str] = response.json()["scheduled"]
    return scheduled


async def patrols_of(service: InspectionService, code: str) -> dict[str, dict[str, Any]]:
    """The patrols of an enterprise by id."""
    found = await service.inspections_of(code)
    return {i["inspection_id"]: i for i in found if i["kind"] == "patrol"}


async def test_certified_enterprises_in_the_jurisdiction_are_patrolled_as_planned(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    kept, missed, outside, uncertified = (credit_code() for _ in range(4))
    for code in (kept, missed, uncertified):
        await service.publish_registry(enterprise_registered(code))
    await service.publish_registry(enterprise_registered(outside, in_jurisdiction=False))
    for number, code in (("C-K", kept), ("C-M", missed), ("C-O", outside)):
        await service.publish_registry(registered(number, code))
    await service.publish_registry(classified(kept, None, "D"))

    async def both_planned() -> bool:
        rows = await service.read("/patrol-plan", HEAD)
        return sorted((r["credit_code"], r["supervision_class"]) for r in rows) == sorted(
            [(kept, "D"), (missed, "C")]  # unclassified: planned as class C
        )

    await service.eventually(both_planned)
    # classifying an enterprise never patrolled planned its first patrol at once
    assert list(await patrols_of(service, kept)) == [f"patrol-{kept}-20260504"]
    assert await run_plan(service) == [f"patrol-{missed}-20260504"]
    assert await run_plan(service) == []  # the same plan twice schedules nothing more
    assert len(await patrols_of(service, kept)) == 1

    await started(service, f"patrol-{kept}-20260504")
    complete = f"/inspections/patrol-{kept}-20260504/complete"
    await service.command(complete, record(), role=INSPECTOR)
    period = {"period_start": "2026-05-04", "period_end": "2026-05-04"}
    coverage = await service.read("/patrol-plan/coverage", HEAD, **period)
    assert (coverage["share"], coverage["as_planned"], coverage["overdue"]) == (
        0.5,
        [kept],
        [missed],
    )
    assert coverage["overdue_names"][missed].startswith("消防器材厂")

    # class D: monthly, from the patrol done on 4 May
    assert await run_plan(service) == [f"patrol-{kept}-20260604"]


async def test_a_new_class_re_plans_the_next_patrol_once_however_often_delivered(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    await service.publish_registry(enterprise_registered(code))
    await service.publish_registry(registered("C-R", code))
    await service.publish_registry(classified(code, None, "D"))

    async def planned_as_d() -> bool:
        rows = await service.read("/patrol-plan")
        return any(row["supervision_class"] == "D" for row in rows)

    await service.eventually(planned_as_d)
    await run_plan(service)
    await started(service, f"patrol-{code}-20260504")
    complete = f"/inspections/patrol-{code}-20260504/complete"
    await service.command(complete, record(), role=INSPECTOR)
    monthly = f"patrol-{code}-20260604"  # class D: a month after the patrol
    assert await run_plan(service) == [monthly]

    better = classified(code, "D", "A")
    await service.publish_registry(better)
    yearly = f"patrol-{code}-20270504"  # class A: a year after it

    async def replanned() -> bool:
        return yearly in await patrols_of(service, code)

    await service.eventually(replanned)
    patrols = await patrols_of(service, code)
    assert patrols[monthly]["status"] == "cancelled"
    assert patrols[monthly]["cancel_reason"].startswith("re-planned: class D -> A")
    assert patrols[yearly]["status"] == "scheduled"

    before = service.event_count()
    await service.publish_registry(better)  # delivered again
    marker = credit_code()
    await service.publish_registry(enterprise_registered(marker))
    await service.publish_registry(registered("C-MARK", marker))

    async def marker_seen() -> bool:
        return marker in await planned_codes(service)

    await service.eventually(marker_seen)  # the stream is handled in order: the repeat is done
    assert service.event_count() == before
    assert len(await patrols_of(service, code)) == 3

    await service.publish_registry(classified(code, "A", "D"))  # back: the monthly day again
    again = f"{monthly}-2"  # that day's first patrol was cancelled: the next free id

    async def planned_again() -> bool:
        return again in await patrols_of(service, code)

    await service.eventually(planned_again)
    patrols = await patrols_of(service, code)
    assert (patrols[yearly]["status"], patrols[again]["status"]) == ("cancelled", "scheduled")
    assert await run_plan(service) == [f"patrol-{marker}-20260504"]  # none more for ``code``


async def test_the_section_head_sees_each_assignees_open_due_today_and_overdue(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    for inspection_id, due in (("W-1", "2026-05-04"), ("W-2", "2026-05-05"), ("W-3", "2026-05-05")):
        planned = plan(code, inspection_id=inspection_id, due_on=due)
        await service.command("/inspections", planned, role=HEAD)
    for inspection_id, department, inspector in (
        ("W-1", "稽查科", "李强"), ("W-2", "稽查科", "李强"), ("W-3", "一所", "王芳"),
    ):  # fmt: skip
        assignment = {"department": department, "inspector": inspector}
        await service.command(f"/inspections/{inspection_id}/assign", assignment, role=HEAD)

    board = await service.read("/workload", HEAD)
    assert board["today"] == "2026-05-04"
    rows = {(r["department"], r["inspector"]): r for r in board["assignees"]}
    assert (rows["稽查科", "李强"]["open"], rows["稽查科", "李强"]["due_today"]) == (2, 1)
    assert rows["一所", "王芳"]["overdue"] == 0

    service.clock.moved_to = date(2026, 5, 6)
    board = await service.read("/workload", HEAD, department="稽查科")
    assert [(r["inspector"], r["open"], r["overdue"]) for r in board["assignees"]] == [
        ("李强", 2, 2)
    ]
    drill = {"department": "稽查科", "inspector": "李强"}
    listed = await service.read("/inspections", HEAD, **drill)
    assert [i["inspection_id"] for i in listed["items"]] == ["W-1", "W-2"]


async def test_a_coverage_period_ending_before_it_starts_is_refused(
    service: InspectionService,
) -> None:
    params = {"period_start": "2026-05-02", "period_end": "2026-05-01"}
    response = await service.get("/patrol-plan/coverage", HEAD, **params)
    assert response.status_code == 422


async def test_the_section_head_runs_the_plan_by_hand_and_an_inspector_may_not(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    await service.publish_registry(enterprise_registered(code))
    await service.publish_registry(registered("C-HAND", code))

    async def planned() -> bool:
        return code in await planned_codes(service)

    await service.eventually(planned)
    assert (await service.post("/patrol-plan/run", role=INSPECTOR)).status_code == 403
    assert await patrols_of(service, code) == {}  # the refused run scheduled nothing
    response = await service.post("/patrol-plan/run", role=HEAD)  # the head runs it by hand
    assert response.status_code == 200, response.text
    # never patrolled: the first patrol is due at once, under the id of its planned day
    assert response.json() == {"today": "2026-05-04", "scheduled": [f"patrol-{code}-20260504"]}
    patrol = (await patrols_of(service, code))[f"patrol-{code}-20260504"]
    assert (patrol["status"], patrol["due_on"]) == ("scheduled", "2026-05-04")


async def test_registrations_delivered_again_keep_the_class_and_status_heard_since(
    service: InspectionService,
) -> None:
    code = credit_code()
    enterprise, certificate = enterprise_registered(code), registered("C-AGAIN", code)
    for event in (enterprise, certificate, classified(code, None, "B"), suspended("C-AGAIN", code)):
        await service.publish_registry(event)

    async def suspended_and_b() -> bool:
        rows = await service.read("/patrol-plan")
        return [r["supervision_class"] for r in rows] == ["B"] and bool(
            await service.inspections_of(code)  # the suspension's surprise inspection
        )

    await service.eventually(suspended_and_b)
    handler = react(REACTIONS, service.app.state.application)
    with service.store.transaction() as conn:  # past the runner's ledger
        handler(enterprise, conn)
        handler(certificate, conn)
    rows = await service.read("/patrol-plan")
    assert [r["supervision_class"] for r in rows] == ["B"]
    with service.store.reading() as conn:
        (fact,) = certificate_facts(conn, code, [])
    assert fact.status == "suspended"
