"""A rectification order's deadline: the officer is reminded before it, and the reminders end
when the order is verified, checked by inspection, or the case is closed."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from notification_support import (
    AUDITOR,
    MovableClock,
    NotificationService,
    credit_code,
    eventually,
    published_event,
)

from ccc_contracts.base import EventData
from ccc_contracts.enforcement import (
    CaseAssigned,
    CaseClosed,
    DeadlineMissed,
    RectificationOrdered,
    RectificationVerified,
)
from ccc_contracts.inspection import RectificationChecked
from ccc_shared.handling import BUREAU_TIME

pytestmark = pytest.mark.integration
CASE = "CCC-2027-00101"
MARKER = "CCC-2027-00102"  # another case's order: its reminders prove a round has run


def bureau(day: date, hour: int = 9, second: int = 1) -> datetime:
    """An instant on the bureau's calendar."""
    return datetime.combine(day, time(hour, 0, second), tzinfo=BUREAU_TIME)


async def reminders(service: NotificationService, case_number: str) -> dict[str, str]:
    """The stored reminders of a case's rectification deadline: label -> status."""
    series = f"rectification:{case_number}"
    response = await service.http.get("/reminders", params={"series": series}, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return {item["label"]: item["status"] for item in response.json()["items"]}


async def reminder_notices(service: NotificationService, cause_event_id: str) -> list[str]:
    """Rule and recipient of every notice queued because of one event (an order, say)."""
    found = await service.notifications(cause_event_id=cause_event_id)
    return sorted(f"{n['rule']} -> {n['recipient']}" for n in found)


async def order(service: NotificationService, case_number: str, code: str, due: date) -> str:
    """Officer-3 holds the case, which orders the subject to rectify by ``due`` (its id)."""
    assigned = CaseAssigned(case_number=case_number, subject_credit_code=code,
                            department="稽查科", officer="officer-3", officer_name="李强",
                            assigned_on=date(2027, 3, 1))  # fmt: skip
    ordered = RectificationOrdered(case_number=case_number, subject_credit_code=code,
                                   requirement="停产整改, 取得认证", ordered_on=date(2027, 3, 10),
                                   deadline=due)  # fmt: skip
    events = [published_event("enforcement", "case", case_number, d) for d in (assigned, ordered)]
    for event in events:
        await service.publish("enforcement", event)
    await service.settled()
    return events[1].event_id


def verified(code: str) -> tuple[str, EventData]:
    return "enforcement", RectificationVerified(
        case_number=CASE, subject_credit_code=code, passed=True, verified_on=date(2027, 4, 13)
    )


def checked(code: str) -> tuple[str, EventData]:
    return "inspection", RectificationChecked(
        inspection_id="INS-R9", case_number=CASE, enterprise_credit_code=code,
        checked_on=date(2027, 4, 13), passed=True,
    )  # fmt: skip


def closed(code: str) -> tuple[str, EventData]:
    return "enforcement", CaseClosed(
        case_number=CASE, subject_credit_code=code, outcome="warning",
        closed_on=date(2027, 4, 13), report_due_on=date(2027, 5, 3), report_required=False,
    )  # fmt: skip


@pytest.mark.parametrize("ending", [verified, checked, closed], ids=lambda f: f.__name__)
async def test_rectification_reminders_fire_before_the_deadline_and_stop_once_it_is_met(
    service: NotificationService, clock: MovableClock, ending: Any
) -> None:
    code = credit_code()
    clock.set_to(bureau(date(2027, 4, 5), hour=10))
    ordered = await order(service, CASE, code, due=date(2027, 4, 15))
    # reminder_offsets_days [3, 0, -1] at 09:00 bureau time: 12 April, 15 April, then 16 April
    # to the section head (escalation)
    assert await reminders(service, CASE) == {"D-3": "pending", "D": "pending", "D+1": "pending"}

    clock.set_to(bureau(date(2027, 4, 12)))  # three days before the deadline

    async def first_fired() -> bool:
        return (await reminders(service, CASE))["D-3"] == "fired"

    await eventually(first_fired)
    assert await reminder_notices(service, ordered) == [
        "rectification_deadline:D-3 -> staff:officer-3"
    ]

    context, data = ending(code)
    await service.publish(context, published_event(context, "case", CASE, data))
    await service.settled()
    assert await reminders(service, CASE) == {
        "D-3": "fired", "D": "cancelled", "D+1": "cancelled",
    }  # fmt: skip

    # past the deadline and its escalation day; another order's reminders due by then fire
    # in the same rounds, so once they have, a round has passed this case's days
    await order(service, MARKER, credit_code(), due=date(2027, 4, 17))
    clock.set_to(bureau(date(2027, 4, 17)))

    async def marker_fired() -> bool:
        state = await reminders(service, MARKER)
        return state["D-3"] == state["D"] == "fired"

    await eventually(marker_fired)
    assert await reminder_notices(service, ordered) == [
        "rectification_deadline:D-3 -> staff:officer-3"
    ]
    assert await reminders(service, CASE) == {
        "D-3": "fired", "D": "cancelled", "D+1": "cancelled",
    }  # fmt: skip


async def test_an_unmet_rectification_deadline_reminds_on_the_day_then_escalates(
    service: NotificationService, clock: MovableClock
) -> None:
    code = credit_code()
    clock.set_to(bureau(date(2027, 4, 5), hour=10))
    ordered = await order(service, CASE, code, due=date(2027, 4, 15))
    clock.set_to(bureau(date(2027, 4, 16)))  # the day after the deadline, nothing done

    async def all_fired() -> bool:
        return set((await reminders(service, CASE)).values()) == {"fired"}

    await eventually(all_fired)
    assert await reminder_notices(service, ordered) == [
        "rectification_deadline:D -> staff:officer-3",
        "rectification_deadline:D+1 -> section_head",
        "rectification_deadline:D-3 -> staff:officer-3",
    ]


async def test_a_missed_rectification_deadline_tells_the_head_and_the_officer_and_ends_reminders(
    service: NotificationService, clock: MovableClock
) -> None:
    code = credit_code()
    clock.set_to(bureau(date(2027, 4, 5), hour=10))
    await order(service, CASE, code, due=date(2027, 4, 15))
    # enforcement's sweep recorded the deadline missed (it escalated the case itself)
    missed = DeadlineMissed(case_number=CASE, subject_credit_code=code, deadline="rectification",
                            due_on=date(2027, 4, 15), noticed_on=date(2027, 4, 16))  # fmt: skip
    cause = published_event("enforcement", "case", CASE, missed)
    await service.publish("enforcement", cause)
    await service.settled()
    assert await reminder_notices(service, cause.event_id) == [
        "missed_deadline_to_officer -> staff:officer-3",
        "missed_deadline_to_section_head -> section_head",
    ]
    assert await reminders(service, CASE) == {
        "D-3": "cancelled", "D": "cancelled", "D+1": "cancelled",
    }  # fmt: skip
