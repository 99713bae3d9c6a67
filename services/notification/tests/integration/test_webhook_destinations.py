"""Webhooks reach only what the allow-list names: refused (422) when the entry is saved, and
judged again at every send, so a name that later resolves to loopback gets nothing."""

from __future__ import annotations

import ipaddress
from datetime import date

import pytest
from notification_support import (
    ADMIN,
    AUDITOR,
    MovableClock,
    NotificationService,
    WebhookReceiver,
    credit_code,
    eventually,
    published_event,
    running,
)

from ccc_contracts.enforcement import CaseReferred
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from notification.domain.destinations import IPAddress
from notification.main import Settings

pytestmark = pytest.mark.integration
BUREAU = "bureau:310101"
PUBLIC = ipaddress.ip_address("93.184.216.34")  # a global address
LOOPBACK = ipaddress.ip_address("127.0.0.1")


def entry(address: str) -> dict[str, object]:
    return {"name": "黄浦区市场监管局", "channels": [{"channel": "webhook", "address": address}]}


async def test_without_a_listed_network_a_loopback_webhook_is_refused_and_nothing_is_recorded(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    unlisted = settings.model_copy(update={"webhook_allowed_destinations": []})
    async with running(unlisted, clock, embedded_nats.url) as service:
        before = service.event_count()
        response = await service.http.put(
            f"/directory/{BUREAU}", json=entry(receiver.url), headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json()["detail"] == [{
            "type": "webhook_destination_refused", "loc": ["body", "channels", 0, "address"],
            "msg": "webhook destination refused: 127.0.0.1 is 127.0.0.1, a loopback address,"
                   " and no listed network of the webhook allow-list holds it",
            "input": receiver.url,
        }]  # fmt: skip
        assert service.event_count() == before
        assert (await service.http.get(f"/directory/{BUREAU}", headers=ADMIN)).status_code == 404


async def test_inward_addresses_are_refused_even_where_loopback_is_listed(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    before = service.event_count()
    refused = {
        "http://169.254.169.254/latest/meta-data/": "link-local",
        "http://10.0.0.8:8080/hook": "private",
        "http://[::ffff:127.0.0.2]/hook": "loopback",
        "http://0.0.0.0:9/hook": "unspecified",
        "http://93.184.216.34/hook": "not in the webhook allow-list",
    }
    for address, reason in refused.items():
        response = await service.http.put(
            f"/directory/{BUREAU}", json=entry(address), headers=ADMIN
        )
        assert response.status_code == 422, address
        assert reason in response.json()["detail"][0]["msg"]
    assert service.event_count() == before
    # the listed loopback receiver is still taken after the refusals
    listed = await service.http.put(f"/directory/{BUREAU}", json=entry(receiver.url), headers=ADMIN)
    assert listed.status_code == 200, listed.text
    assert service.event_count() == before + 1


async def test_a_name_that_resolves_to_loopback_at_send_time_is_refused_then(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats,
    receiver: WebhookReceiver,
) -> None:  # fmt: skip
    answers: dict[str, list[IPAddress]] = {"hooks.bureau.example": [PUBLIC]}

    def resolve(host: str, _port: int) -> list[IPAddress]:
        return answers.get(host, [])

    # given a bureau's webhook by a listed name that resolves to a global address
    by_name = settings.model_copy(update={"webhook_allowed_destinations": ["hooks.bureau.example"]})
    port = receiver.url.split(":")[2].split("/")[0]
    async with running(by_name, clock, embedded_nats.url, resolve) as service:
        hook = f"http://hooks.bureau.example:{port}/hook"
        saved = await service.http.put(f"/directory/{BUREAU}", json=entry(hook), headers=ADMIN)
        assert saved.status_code == 200, saved.text
        # when the name now resolves to loopback (where the receiver listens) and a notice is due
        answers["hooks.bureau.example"] = [LOOPBACK]
        referred = CaseReferred(case_number="CASE-R1", subject_credit_code=credit_code(),
                                problem="external", to_jurisdiction="310101",
                                reason="maker in Huangpu", referred_on=date.today())  # fmt: skip
        cause = published_event("enforcement", "case", "CASE-R1", referred)
        await service.publish("enforcement", cause)
        notice = await service.notice_for(cause.event_id, BUREAU, "referral_to_bureau")

        async def failed() -> dict[str, object] | None:
            view = await service.http.get(f"/notifications/{notice}", headers=AUDITOR)
            body: dict[str, object] = view.json()
            return body if view.status_code == 200 and body["status"] == "failed" else None

        # then every attempt is refused and recorded, and the receiver gets nothing
        view = await eventually(failed)
        assert view["attempts"] == 3
        assert view["last_error"] == (
            f"webhook {hook}: destination refused: hooks.bureau.example is 127.0.0.1, a loopback"
            " address, and no listed network of the webhook allow-list holds it"
        )
        assert receiver.requests == []
