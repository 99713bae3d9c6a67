"""``GET /directory``: every recipient the bureau can reach, by id, of one kind when asked; a
replaced entry shows its new words, a removed one is gone, a webhook's secret is never shown."""

from __future__ import annotations

from typing import Any

import pytest
from notification_support import ADMIN, AUDITOR, SECRET, NotificationService, WebhookReceiver

pytestmark = pytest.mark.integration


async def directory(service: NotificationService, **params: str) -> list[dict[str, Any]]:
    """The directory as an auditor lists it."""
    response = await service.http.get("/directory", params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_the_directory_lists_every_recipient_by_id_and_by_kind(
    service: NotificationService, receiver: WebhookReceiver
) -> None:
    await service.put_recipient(
        "certification_body:CQC", {"channel": "webhook", "address": receiver.url, "secret": SECRET}
    )
    await service.put_recipient("bureau:440300", {"channel": "email", "address": "ccc@sz.gov.cn"})
    await service.put_recipient("staff:officer-3", {"channel": "inbox"}, language="en")
    await service.put_recipient("bureau:320100", {"channel": "email", "address": "a@nj.gov.cn"})

    assert await directory(service) == [
        {"recipient_id": "bureau:320100", "kind": "bureau", "name": "bureau:320100",
         "language": "zh", "channels": [
             {"channel": "email", "address": "a@nj.gov.cn", "signed": False}]},
        {"recipient_id": "bureau:440300", "kind": "bureau", "name": "bureau:440300",
         "language": "zh", "channels": [
             {"channel": "email", "address": "ccc@sz.gov.cn", "signed": False}]},
        {"recipient_id": "certification_body:CQC", "kind": "certification_body",
         "name": "certification_body:CQC", "language": "zh", "channels": [
             {"channel": "webhook", "address": receiver.url, "signed": True}]},
        {"recipient_id": "staff:officer-3", "kind": "staff", "name": "staff:officer-3",
         "language": "en", "channels": [{"channel": "inbox", "address": "", "signed": False}]},
    ]  # fmt: skip
    assert SECRET not in str(await directory(service))
    bureaus = await directory(service, kind="bureau")
    assert [entry["recipient_id"] for entry in bureaus] == ["bureau:320100", "bureau:440300"]
    assert await directory(service, kind="cnca") == []

    renamed = {"name": "南京市市场监督管理局", "language": "zh",
               "channels": [{"channel": "email", "address": "ccc@nj.gov.cn"}]}  # fmt: skip
    replaced = await service.http.put("/directory/bureau:320100", json=renamed, headers=ADMIN)
    assert replaced.status_code == 200, replaced.text
    removed = await service.http.delete("/directory/bureau:440300", headers=ADMIN)
    assert removed.status_code == 200, removed.text
    assert await directory(service, kind="bureau") == [
        {"recipient_id": "bureau:320100", "kind": "bureau", "name": "南京市市场监督管理局",
         "language": "zh", "channels": [
             {"channel": "email", "address": "ccc@nj.gov.cn", "signed": False}]},
    ]  # fmt: skip
    assert [e["recipient_id"] for e in await directory(service)] == [
        "bureau:320100", "certification_body:CQC", "staff:officer-3",
    ]  # fmt: skip
