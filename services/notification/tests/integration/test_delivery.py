"""Notices leave by signed webhook, email and inbox; a failing webhook is retried, then the
failure is published and the section head told; redelivery sends nothing twice."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from notification_support import (
    ADMIN,
    AUDITOR,
    SECRET,
    NotificationService,
    SmtpSink,
    WebhookReceiver,
    credit_code,
    eventually,
    published_event,
)

from ccc_shared.contracts.enforcement import CaseAssigned
from ccc_shared.contracts.inspection import ViolationFound
from ccc_shared.contracts.registry import (
    CertificateRegistered,
    CertificateSuspended,
    CertificationBodyRegistered,
    EnterpriseRegistered,
)
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.service import react
from ccc_shared.testing.actors import actor_headers
from notification.application.reactions import reactions

pytestmark = pytest.mark.integration
BODY = "certification_body:CQC"


def certificate(number: str, holder: str) -> RecordedEvent:
    today = date(2026, 3, 2)
    data = CertificateRegistered(
        certificate_number=number, holder_credit_code=holder, product_category="1812",
        certification_body="CQC", article="Order 117 art 19", effective_on=today,
        reason_code="issued", manufacturer="浙江消防器材有限公司", factory="杭州工厂",
        models=["MFZ/ABC4"], issued_on=today, expires_on=today + timedelta(days=1800),
    )  # fmt: skip
    return published_event("registry", "certificate", number, data)


def violation(holder: str, number: str | None, **changes: Any) -> RecordedEvent:
    data = ViolationFound(
        violation_id=f"V-{holder[-8:]}", enterprise_credit_code=holder,
        kind=changes.pop("kind", "certificate_invalid"), article="Order 117 art 27",
        certificate_number=number, evidence=["现场照片 3 张"], **changes,
    )  # fmt: skip
    return published_event("inspection", "inspection", f"INS-{holder[-8:]}", data)


async def known_certificate(service: NotificationService, holder: str, number: str) -> None:
    body = CertificationBodyRegistered(code="CQC", name="中国质量认证中心",
                                       accreditation_number="CNCA-R-2002-001", contact="",
                                       registered_on=date(2026, 3, 2))  # fmt: skip
    await service.publish("registry", published_event("registry", "certification_body",
                                                      "CQC", body))  # fmt: skip
    await service.publish("registry", certificate(number, holder))
    await service.settled()  # the registry's facts are known before the violation arrives


async def status_of(service: NotificationService, notice: str) -> str:
    response = await service.http.get(f"/notifications/{notice}", headers=AUDITOR)
    return str(response.json()["status"]) if response.status_code == 200 else ""


async def reaches(service: NotificationService, notice: str, status: str) -> bool:
    return await status_of(service, notice) == status


async def test_a_violation_reaches_the_certifying_body_by_signed_webhook(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    holder = credit_code()
    await service.put_recipient(BODY, {"channel": "webhook", "address": receiver.url,
                                       "secret": SECRET})  # fmt: skip
    await known_certificate(service, holder, "CERT-W1")
    cause = violation(holder, "CERT-W1")
    await service.publish("inspection", cause)
    notice = await service.notice_for(cause.event_id, BODY, "violation_to_certification_body")
    await eventually(lambda: receiver.shown)
    got = receiver.requests[0]
    assert got.signature_valid(SECRET)
    with service.store.reading() as conn:  # the secret is sealed at rest, in no event
        query = "SELECT secret FROM notification_webhook_secrets"
        stored = [row[0] for row in conn.exec_driver_sql(query)]
        events = " ".join(str(row) for row in conn.exec_driver_sql("SELECT data FROM events"))
    assert len(stored) == 1
    assert stored[0].startswith("sealed:v1:")
    assert SECRET not in stored[0]
    assert SECRET not in events
    assert got.headers["x-ccc-notification-id"] == notice
    assert got.json()["cause_event_id"] == cause.event_id
    assert got.json()["subject"] == "违法违规通报：证书 CERT-W1"
    assert "现场照片 3 张" in got.json()["body"]
    await eventually(lambda: reaches(service, notice, "delivered"))
    sent = await eventually(lambda: service.envelopes_of_type("NotificationSent"))
    assert sent[0]["data"] == {"notification_id": notice, "channel": "webhook",
                               "recipient": BODY, "cause_event_id": cause.event_id}  # fmt: skip
    assert sent[0]["causation_id"] is None or sent[0]["actor"]["role"] == "system"


async def test_a_failing_webhook_is_retried_then_failed_and_the_failure_published(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    receiver.status = 500
    holder = credit_code()
    await service.put_recipient(BODY, {"channel": "webhook", "address": receiver.url})
    await known_certificate(service, holder, "CERT-F1")
    cause = violation(holder, "CERT-F1")
    await service.publish("inspection", cause)
    notice = await service.notice_for(cause.event_id, BODY, "violation_to_certification_body")
    failed = await eventually(lambda: service.envelopes_of_type("NotificationFailed"))
    assert len(receiver.requests) == 3  # max_attempts, with backoff between them
    assert failed[0]["data"]["notification_id"] == notice
    assert failed[0]["data"]["last_error"].endswith("HTTP 500")
    head = actor_headers("section_head")  # told of the failure, the head looks it up
    view = (await service.http.get(f"/notifications/{notice}", headers=head)).json()
    assert (view["status"], view["attempts"]) == ("failed", 3)
    assert [n["notification_id"] for n in await service.notifications(status="failed")] == [notice]
    inbox = await eventually(lambda: _unread(service, "section_head"))
    assert inbox[0]["subject"] == f"通知发送失败：{BODY}"

    receiver.status = 200  # the body fixed its endpoint: staff resend
    resend = await service.http.post(f"/notifications/{notice}/resend",
                                     json={"reason": "对方已修复接口"},
                                     headers=head)  # fmt: skip
    assert resend.status_code == 200, resend.text
    await eventually(lambda: reaches(service, notice, "delivered"))
    assert list(receiver.shown) == [f"{notice}-2"]


async def _unread(service: NotificationService, recipient: str) -> list[dict[str, Any]]:
    return [n for n in (await service.inbox(recipient))["items"] if n["read_at"] is None]


async def test_a_suspension_is_emailed_to_the_dossier_custodian(
    service: NotificationService, smtp: SmtpSink
) -> None:
    holder = credit_code()
    email = {"channel": "email", "address": "wangfang@bureau.local"}
    await service.put_recipient("staff:inspector-7", email)
    registered = EnterpriseRegistered(
        credit_code=holder, name="杭州安消器材有限公司", address="杭州市",
        region="西湖区",
        scale="small", legal_representative="张伟", contact="0571-1234", in_jurisdiction=True,
        custodian_id="inspector-7", registered_on=date(2026, 3, 2),
    )  # fmt: skip
    await service.publish("registry", published_event("registry", "enterprise", holder,
                                                      registered))  # fmt: skip
    suspended = CertificateSuspended(
        certificate_number="CERT-E1", holder_credit_code=holder, product_category="1812",
        certification_body="CQC", article="Order 117 art 27", effective_on=date(2026, 3, 2),
        reason_code="follow_up_refused_or_failed",
    )  # fmt: skip
    cause = published_event("registry", "certificate", "CERT-E1", suspended)
    await service.publish("registry", cause)
    await eventually(lambda: smtp.messages)
    message = smtp.messages[0]
    assert message["To"].endswith("<wangfang@bureau.local>")
    assert message["Subject"] == "证书状态变更：CERT-E1 暂停"
    assert message["Idempotency-Key"].endswith("-1")
    text = message.get_content()
    assert "暂停" in text
    assert "企业 杭州安消器材有限公司（" in text  # the name the registry published
    assert cause.event_id in text
    notice = await service.notice_for(
        cause.event_id, "staff:inspector-7", "withdrawn_certificate_to_custodian"
    )
    await eventually(lambda: reaches(service, notice, "sent"))


async def test_an_assignment_lands_in_the_assignees_inbox_and_reading_acknowledges_it(
    service: NotificationService,
) -> None:
    assigned = CaseAssigned(
        case_number="CASE-9",
        subject_credit_code=credit_code(),
        department="稽查科",
        officer="officer-3",
        assigned_on=date(2026, 3, 2),
    )
    cause = published_event("enforcement", "case", "CASE-9", assigned)
    await service.publish("enforcement", cause)
    items = await eventually(lambda: _unread(service, "staff:officer-3"))
    assert items[0]["cause_event_id"] == cause.event_id
    notice = items[0]["notification_id"]
    read = await service.http.post(f"/inbox/staff:officer-3/{notice}/read",
                                   headers=actor_headers("case_officer"))  # fmt: skip
    assert read.status_code == 200, read.text
    assert (await service.inbox("staff:officer-3"))["unread"] == 0
    assert await status_of(service, notice) == "acknowledged"


async def test_redelivery_and_replay_send_nothing_twice(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    holder = credit_code()
    await service.put_recipient(BODY, {"channel": "webhook", "address": receiver.url})
    await known_certificate(service, holder, "CERT-R1")
    cause = violation(holder, "CERT-R1")
    await service.publish("inspection", cause)
    await service.publish("inspection", cause)  # the bus delivers it again
    notice = await service.notice_for(cause.event_id, BODY, "violation_to_certification_body")
    await eventually(lambda: reaches(service, notice, "delivered"))
    store = service.store
    before = len(store.read_all(0, 100_000))
    handler = react(reactions(), service.app.state.application)
    with store.transaction() as conn:  # past the runner's ledger: a replay
        handler(cause, conn)
        handler(cause, conn)
    assert len(store.read_all(0, 100_000)) == before
    assert await asyncio.to_thread(service.app.state.application.dispatcher.deliver_due) == 0
    assert len(receiver.requests) == 1
    assert len(await service.notifications(cause_event_id=cause.event_id)) == 1


async def test_an_unlisted_bureau_is_never_silent_and_the_directory_is_an_api(
    service: NotificationService,
) -> None:
    holder = credit_code()
    cause = violation(holder, None, kind="external", external_jurisdiction="440300",
                      found_at="本县某商场")  # fmt: skip
    await service.publish("inspection", cause)
    failed = await eventually(lambda: service.envelopes_of_type("NotificationFailed"))
    assert failed[0]["data"]["recipient"] == "bureau:440300"
    assert "not listed" in failed[0]["data"]["last_error"]
    bad = await service.http.put("/directory/bureau:44", json={"name": "x", "channels": []},
                                 headers=ADMIN)  # fmt: skip
    assert bad.status_code == 422
    listed = await service.http.put(
        "/directory/bureau:440300",
        json={"name": "深圳市市场监督管理局", "language": "zh",
              "channels": [{"channel": "email", "address": "ccc@sz.gov.cn"}]},
        headers=ADMIN,
    )  # fmt: skip
    assert listed.status_code == 200, listed.text
    entry = (await service.http.get("/directory/bureau:440300", headers=AUDITOR)).json()
    assert entry["kind"] == "bureau"
    removed = await service.http.delete("/directory/bureau:440300", headers=ADMIN)
    assert removed.status_code == 200
    gone = await service.http.get("/directory/bureau:440300", headers=AUDITOR)
    assert gone.status_code == 404
    again = await service.http.delete("/directory/bureau:440300", headers=ADMIN)
    assert again.status_code == 409
