"""The HTTP API: OpenAPI for every route, 404 and 409 where they belong, English notices; and a
slow webhook holds up neither the bus nor the other notices."""

from __future__ import annotations

import threading
from datetime import date

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

from ccc_contracts.enforcement import CaseAssigned, CaseReferred
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.actors import actor_headers
from notification.main import Settings

pytestmark = pytest.mark.integration
HEAD = actor_headers("section_head")


async def test_every_route_is_documented_under_a_distinct_name(
    service: NotificationService,
) -> None:
    spec = (await service.http.get("/openapi.json")).json()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    names = [op["operationId"] for op in operations]
    assert len(names) == len(set(names))
    assert {"/directory/{recipient_id}", "/notifications/{notification_id}/resend",
            "/inbox/{recipient_id}", "/reminders"} <= set(spec["paths"])  # fmt: skip


async def test_unknown_is_404_and_a_refused_transition_is_409(
    service: NotificationService,
) -> None:
    unknown = "f" * 32
    assert (await service.http.get(f"/notifications/{unknown}", headers=AUDITOR)).status_code == 404
    resend = await service.http.post(f"/notifications/{unknown}/resend",
                                     json={"reason": "test"}, headers=HEAD)  # fmt: skip
    assert resend.status_code == 404
    assert (await service.http.post(f"/notifications/{unknown}/resend", json={},
                                    headers=HEAD)).status_code == 422  # fmt: skip
    assigned = CaseAssigned(
        case_number="CASE-A1",
        subject_credit_code=credit_code(),
        department="稽查科",
        officer="officer-5",
        assigned_on=date(2026, 3, 2),
    )
    cause = published_event("enforcement", "case", "CASE-A1", assigned)
    await service.publish("enforcement", cause)
    notice = await service.notice_for(cause.event_id, "staff:officer-5", "assignment_to_assignee")

    async def delivered() -> bool:
        response = await service.http.get(f"/notifications/{notice}", headers=AUDITOR)
        return response.status_code == 200 and response.json()["status"] == "delivered"

    await eventually(delivered)
    wrong_inbox = await service.http.post(f"/inbox/staff:officer-6/{notice}/read", headers=HEAD)
    assert wrong_inbox.status_code == 404
    assignee = actor_headers("case_officer", user_id="officer-5")  # the notice was to them
    ack = await service.http.post(f"/notifications/{notice}/acknowledge", headers=assignee)
    assert ack.status_code == 200
    assert [e["event_type"] for e in ack.json()["events"]] == ["NotificationAcknowledged"]


async def test_a_bureau_listed_in_english_is_told_in_english(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    await service.put_recipient("bureau:310101", {"channel": "webhook", "address": receiver.url},
                                language="en")  # fmt: skip
    referred = CaseReferred(case_number="CASE-X1", subject_credit_code=credit_code(),
                            problem="external", to_jurisdiction="310101",
                            reason="maker in Huangpu", referred_on=date(2026, 3, 2))  # fmt: skip
    cause = published_event("enforcement", "case", "CASE-X1", referred)
    await service.publish("enforcement", cause)
    await eventually(lambda: receiver.shown)
    body = receiver.requests[0].json()
    assert body["subject"] == "Case referred to you: CASE-X1"
    assert f"Cause event: {cause.event_id} (CaseReferred)" in body["body"]
    notice = await service.notice_for(cause.event_id, "bureau:310101", "referral_to_bureau")

    async def delivered() -> bool:  # the bureau's 2xx is recorded just after it answered
        found = await service.notifications(status="delivered")
        return any(n["notification_id"] == notice for n in found)

    await eventually(delivered)
    confirmed = await service.http.post(
        f"/notifications/{notice}/acknowledge",
        headers=actor_headers("case_officer", user_id="officer-8"),
    )
    assert confirmed.status_code == 200, confirmed.text  # the bureau phoned: any officer records it


async def test_a_slow_webhook_holds_up_neither_the_bus_nor_the_other_notices(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    receiver.hold = threading.Event()  # officer-9's webhook answers only when the test says
    patient = settings.model_copy(update={"webhook_timeout_seconds": 60.0})
    fast = WebhookReceiver().start()  # officer-3's answers at once
    async with running(patient, clock, embedded_nats.url) as service:
        try:
            await service.put_recipient("staff:officer-9", {"channel": "webhook",
                                                            "address": receiver.url})  # fmt: skip
            await service.put_recipient("staff:officer-3", {"channel": "webhook",
                                                            "address": fast.url})  # fmt: skip
            first = CaseAssigned(
                case_number="CASE-S1",
                subject_credit_code=credit_code(),
                department="稽查科",
                officer="officer-9",
                assigned_on=date(2026, 3, 2),
            )
            first_event = published_event("enforcement", "case", "CASE-S1", first)
            await service.publish("enforcement", first_event)
            await eventually(lambda: receiver.requests)  # the dispatcher now waits on the webhook
            for number in range(20):
                other = CaseAssigned(case_number=f"CASE-T{number}",
                                     subject_credit_code=credit_code(), department="稽查科",
                                     officer="officer-3", assigned_on=date(2026, 3, 2))  # fmt: skip
                event = published_event("enforcement", "case", f"CASE-T{number}", other)
                await service.publish("enforcement", event)
            await service.settled()
            assert len(await service.notifications(recipient="staff:officer-3")) == 20

            async def all_delivered() -> bool:
                inbox = await service.notifications(recipient="staff:officer-3", status="delivered")
                return len(inbox) == 20

            await eventually(all_delivered)  # while the webhook was held, whatever the load
            assert len(fast.shown) == 20
            slow = await service.notifications(recipient="staff:officer-9")
            assert (slow[0]["status"], len(receiver.requests)) == ("sending", 1)  # still held
            receiver.hold.set()

            async def slow_delivered() -> bool:
                slow = await service.notifications(recipient="staff:officer-9")
                return bool(slow[0]["status"] == "delivered")

            await eventually(slow_delivered)
        finally:  # a failing test must not leave the sender hanging
            receiver.hold.set()
            fast.stop()


async def test_a_webhook_that_does_not_answer_in_time_is_a_timeout_tried_again(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    receiver.hold = threading.Event()  # never answers while the test runs
    async with running(settings, clock, embedded_nats.url) as service:  # timeout: 1 s
        await service.put_recipient("staff:officer-9", {"channel": "webhook",
                                                        "address": receiver.url})  # fmt: skip
        assigned = CaseAssigned(case_number="CASE-S2", subject_credit_code=credit_code(),
                                department="稽查科", officer="officer-9",
                                assigned_on=date(2026, 3, 2))  # fmt: skip
        await service.publish("enforcement", published_event("enforcement", "case", "CASE-S2",
                                                             assigned))  # fmt: skip

        async def timed_out() -> bool:
            slow = await service.notifications(recipient="staff:officer-9")
            return bool(slow) and "Timeout" in (slow[0]["last_error"] or "")

        await eventually(timed_out)


async def test_staff_known_by_a_chinese_user_id_have_an_inbox_too(
    service: NotificationService,
) -> None:
    assigned = CaseAssigned(
        case_number="CASE-Z1",
        subject_credit_code=credit_code(),
        department="稽查科",
        officer="王芳",
        assigned_on=date(2026, 3, 2),
    )
    await service.publish("enforcement", published_event("enforcement", "case", "CASE-Z1",
                                                         assigned))  # fmt: skip

    async def arrived() -> list[dict[str, object]]:
        items: list[dict[str, object]] = (await service.inbox("staff:王芳"))["items"]
        return items

    items = await eventually(arrived)
    assert items[0]["subject"] == "案件分派：CASE-Z1"
