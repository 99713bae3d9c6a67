"""Durable timers and crash safety: a restart in the middle of a schedule neither loses nor
repeats a reminder; a crash mid-send is retried with the same idempotency key."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from notification_support import (
    AUDITOR,
    MovableClock,
    NotificationService,
    WebhookReceiver,
    credit_code,
    eventually,
    published_event,
    running,
)

from ccc_shared.contracts.enforcement import (
    CaseAssigned,
    CaseReportDue,
    CaseReportedToCNCA,
    RectificationOrdered,
)
from ccc_shared.eventstore.envelope import StreamId
from ccc_shared.handling import BUREAU_TIME
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from notification.application.aggregates import notification_state
from notification.application.channels import post_webhook
from notification.main import Settings

pytestmark = pytest.mark.integration
DUE = date(2027, 3, 15)
CASE = "CASE-2027-0042"
SERIES = f"cnca_report:{CASE}"


def bureau(day: date, hour: int = 9, second: int = 1) -> datetime:
    """An instant on the bureau's calendar."""
    return datetime.combine(day, time(hour, 0, second), tzinfo=BUREAU_TIME)


async def reminders(service: NotificationService) -> dict[str, str]:
    response = await service.http.get("/reminders", params={"series": SERIES}, headers=AUDITOR)
    return {item["label"]: item["status"] for item in response.json()["items"]}


async def reminder_notices(service: NotificationService) -> list[str]:
    rules = [n["rule"] for n in await service.notifications(recipient="staff:officer-3")]
    rules += [n["rule"] for n in await service.notifications(recipient="section_head")]
    return sorted(rule for rule in rules if rule.startswith("cnca_report_deadline"))


async def fired(service: NotificationService, *labels: str) -> bool:
    state = await reminders(service)
    return all(state.get(label) == "fired" for label in labels)


async def a_later_round(service: NotificationService, day: date, marker: str) -> None:
    """Wait for a round of the reminder job that began after now (no sleep): another case's
    rectification order is due three days after ``day``, and its first reminder fires at 09:00
    on ``day``; once it has, the job has run a whole round since."""
    code = credit_code()
    assigned = CaseAssigned(case_number=marker, subject_credit_code=code, department="稽查科",
                            officer="officer-5", assigned_on=day - timedelta(days=30))  # fmt: skip
    ordered = RectificationOrdered(case_number=marker, subject_credit_code=code,
                                   requirement="整改", ordered_on=day - timedelta(days=10),
                                   deadline=day + timedelta(days=3))  # fmt: skip
    for data in (assigned, ordered):
        await service.publish("enforcement", published_event("enforcement", "case", marker, data))

    async def marker_fired() -> bool:
        response = await service.http.get(
            "/reminders", params={"series": f"rectification:{marker}"}, headers=AUDITOR
        )
        return any(i["label"] == "D-3" and i["status"] == "fired" for i in response.json()["items"])

    await eventually(marker_fired)


async def test_a_restart_in_the_middle_of_a_schedule_neither_loses_nor_repeats_a_reminder(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    clock.set_to(bureau(DUE - timedelta(days=5), hour=10))
    subject = credit_code()
    async with running(settings, clock, embedded_nats.url) as service:
        await service.put_recipient("cnca", {"channel": "webhook", "address": receiver.url})
        assigned = CaseAssigned(case_number=CASE, subject_credit_code=subject,
                                department="稽查科", officer="officer-3",
                                assigned_on=DUE - timedelta(days=60))  # fmt: skip
        await service.publish("enforcement", published_event("enforcement", "case", CASE,
                                                             assigned))  # fmt: skip
        await service.settled()
        due = CaseReportDue(case_number=CASE, subject_credit_code=subject,
                            closed_on=DUE - timedelta(days=20), report_due_on=DUE)  # fmt: skip
        cause = published_event("enforcement", "case", CASE, due)
        await service.publish("enforcement", cause)
        await service.settled()
        assert await reminders(service) == {"D-3": "pending", "D": "pending", "D+1": "pending"}

        clock.set_to(bureau(DUE - timedelta(days=3)))  # the first reminder falls due
        await eventually(lambda: fired(service, "D-3"))
        assert await reminder_notices(service) == ["cnca_report_deadline:D-3"]
        assert (await reminders(service))["D"] == "pending"

    clock.set_to(bureau(DUE))  # the service was down while the second fell due
    async with running(settings, clock, embedded_nats.url) as service:
        await eventually(lambda: fired(service, "D"))
        await a_later_round(service, DUE, "CASE-2027-MARK1")  # rounds after it: no repeat
        assert await reminder_notices(service) == [
            "cnca_report_deadline:D", "cnca_report_deadline:D-3",
        ]  # fmt: skip

        async def reminded_in_inbox() -> list[dict[str, Any]]:
            inbox = (await service.inbox("staff:officer-3"))["items"]
            found = [n for n in inbox if n["subject"].startswith("期限提醒")]
            return found if len(found) >= 2 else []

        reminded = await eventually(reminded_in_inbox)
        assert len(reminded) == 2
        assert all(n["cause_event_id"] == cause.event_id for n in reminded)
        queued = service.store.load(StreamId("notification", reminded[0]["notification_id"]))
        assert queued[0].causation_id == cause.event_id  # who, when, because of what
        assert queued[0].correlation_id == cause.correlation_id
        assert queued[0].actor.role == "system"

        reported = CaseReportedToCNCA(
            case_number=CASE, subject_credit_code=subject, case_source="巡查发现",
            case_information="无证生产灭火器", penalty_basis="《强制性产品认证管理规定》第五十二条",
            penalty_type="fine", penalty_amount=50000, case_description="某企业无证生产",
            decision_document_number="县市监罚〔2027〕12号", decision_document_sha256="a" * 64,
            decision_document_file="decision-12.pdf", sent_at=bureau(DUE, hour=8),
            reported_on=DUE, report_due_on=DUE, late=False,
        )  # fmt: skip
        await service.publish("enforcement", published_event("enforcement", "case", CASE,
                                                             reported))  # fmt: skip
        await eventually(lambda: receiver.shown)
        report: dict[str, Any] = receiver.requests[0].json()
        assert report["recipient"] == "cnca"
        assert "罚没金额：50000 元" in report["body"]
        assert (await reminders(service))["D+1"] == "cancelled"

        clock.set_to(bureau(DUE + timedelta(days=2)))  # past the escalation day: nothing
        await a_later_round(service, DUE + timedelta(days=2), "CASE-2027-MARK2")
        assert await reminder_notices(service) == [
            "cnca_report_deadline:D", "cnca_report_deadline:D-3",
        ]  # fmt: skip


async def test_a_crash_mid_send_is_retried_with_the_same_key_and_shown_once(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    # no rounds on its own: neither on a timer nor when the notice is queued
    slow = settings.model_copy(
        update={"dispatch_every_seconds": 3600.0, "dispatch_on_commit": False}
    )
    assigned = CaseAssigned(case_number="CASE-C1", subject_credit_code=credit_code(),
                            department="稽查科", officer="officer-8",
                            assigned_on=date(2027, 3, 1))  # fmt: skip
    cause = published_event("enforcement", "case", "CASE-C1", assigned)
    async with running(slow, clock, embedded_nats.url) as service:
        await service.put_recipient("staff:officer-8",
                                    {"channel": "webhook", "address": receiver.url})  # fmt: skip
        await service.publish("enforcement", cause)
        await service.settled()
        notice = await service.notice_for(cause.event_id, "staff:officer-8",
                                          "assignment_to_assignee")  # fmt: skip
        dispatcher = service.app.state.application.dispatcher
        claimed = await asyncio.to_thread(dispatcher._claim, notice)  # attempt recorded
        assert claimed is not None
        with httpx.Client() as client:  # the send went out, then the process died
            post_webhook(client, claimed, receiver.url, None, 1.0, dispatcher.guard)
        with service.store.reading() as conn:
            state = notification_state(service.store, notice, conn)
        assert state is not None
        assert (state.status, state.attempts) == ("sending", 1)

    async with running(settings, clock, embedded_nats.url) as service:

        async def delivered() -> bool:
            view = (await service.http.get(f"/notifications/{notice}", headers=AUDITOR)).json()
            return bool(view["status"] == "delivered")

        await eventually(delivered)  # once the stuck attempt is stale, it is tried again
        view = (await service.http.get(f"/notifications/{notice}", headers=AUDITOR)).json()
        assert view["attempts"] == 2
    assert len(receiver.requests) == 2
    assert list(receiver.shown) == [f"{notice}-1"]  # the receiver showed it once
