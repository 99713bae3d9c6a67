"""The case a violation led to, on the running service: enforcement's CaseOpened naming a
violation an inspection found is shown with that inspection once, however often delivered."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from inspection_support import (
    AREAS,
    HEAD,
    INSPECTOR,
    InspectionService,
    credit_code,
    plan,
    record,
    registry_event,
    started,
)
from sqlalchemy import select

from ccc_shared.contracts.enforcement import CaseOpened
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.eventstore.schema import processed_events
from ccc_shared.service import react
from inspection.application.reactions import REACTIONS
from inspection.projections.tables import violations

pytestmark = pytest.mark.integration
TODAY = date(2026, 5, 4)  # the bureau's day in these tests (a Monday)


def case_opened(case_number: str, violation_id: str, subject: str) -> RecordedEvent:
    """A CaseOpened for a violation, as enforcement publishes it."""
    data = CaseOpened(
        case_number=case_number, source="violation", violation_id=violation_id,
        subject_kind="enterprise", subject_credit_code=subject, problem="mark_misuse",
        found_on=TODAY, opened_on=TODAY, register_decision_due_on=date(2026, 5, 19),
    )  # fmt: skip
    return registry_event(case_number, data, "case", "enforcement")


async def completed_with_a_violation(service: InspectionService, code: str) -> str:
    """A patrol of ``code`` whose record shows the 3C mark misused: one violation found."""
    scheduled = await service.command("/inspections", plan(code), role=HEAD)
    inspection_id: str = scheduled["aggregate_id"]
    await started(service, inspection_id)
    areas = [{"area": a, "result": "conforming"} for a in AREAS[:-1]]
    areas.append({"area": "mark_use", "result": "nonconforming", "notes": "标志用于未认证型号"})
    done = await service.command(
        f"/inspections/{inspection_id}/complete", record(areas=areas), role=INSPECTOR
    )
    assert [e["event_type"] for e in done["events"]] == ["InspectionCompleted", "ViolationFound"]
    return inspection_id


def processed(service: InspectionService, event: RecordedEvent) -> bool:
    """Whether the enforcement subscription has applied the event."""
    query = select(processed_events.c.event_id).where(
        processed_events.c.consumer == "inspection-enforcement",
        processed_events.c.event_id == event.event_id,
    )
    with service.store.reading() as conn:
        return conn.execute(query).first() is not None


def violations_naming(service: InspectionService, case_number: str) -> list[str]:
    """The violations the read model records as having led to a case."""
    query = select(violations.c.violation_id).where(violations.c.case_number == case_number)
    with service.store.reading() as conn:
        return [row.violation_id for row in conn.execute(query)]


async def test_the_inspection_shows_the_case_its_violation_led_to_once(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    inspection_id = await completed_with_a_violation(service, code)
    violation_id = f"{inspection_id}/V1"
    before = await service.read(f"/inspections/{inspection_id}")
    assert before["violations_found"] == [{"violation_id": violation_id, "case_number": None}]

    opened = case_opened("CCC-2026-00041", violation_id, code)
    await service.publish_enforcement(opened)
    await service.publish_enforcement(opened)

    async def case_shown() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await service.read(f"/inspections/{inspection_id}"))[
            "violations_found"
        ]
        return [v for v in found if v["case_number"]]

    shown = await service.eventually(case_shown)
    assert shown == [{"violation_id": violation_id, "case_number": "CCC-2026-00041"}]

    handler = react(REACTIONS, service.app.state.application)
    events_before = service.event_count()
    with service.store.transaction() as conn:  # past the runner's ledger: nothing changes twice
        handler(opened, conn)
    assert service.event_count() == events_before
    after = await service.read(f"/inspections/{inspection_id}")
    assert after["violations_found"] == shown
    assert after["violations"] == 1
    assert violations_naming(service, "CCC-2026-00041") == [violation_id]


async def test_a_case_for_a_violation_no_inspection_found_changes_nothing(
    service: InspectionService,
) -> None:
    service.clock.moved_to = TODAY
    code = credit_code()
    inspection_id = await completed_with_a_violation(service, code)
    stranger = case_opened("CCC-2026-00042", "INS-elsewhere/V1", code)
    events_before = service.event_count()

    await service.publish_enforcement(stranger)
    await service.eventually(lambda: processed(service, stranger))

    assert violations_naming(service, "CCC-2026-00042") == []
    shown = await service.read(f"/inspections/{inspection_id}")
    assert shown["violations_found"] == [
        {"violation_id": f"{inspection_id}/V1", "case_number": None}
    ]
    assert service.event_count() == events_before
