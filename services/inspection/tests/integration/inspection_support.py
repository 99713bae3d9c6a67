"""What the inspection integration tests share: the running service, bodies, bus in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx

from ccc_contracts.base import EventData
from ccc_contracts.enforcement import ComplaintReceived, RectificationOrdered
from ccc_contracts.envelope import Actor, RecordedEvent, new_event_id
from ccc_contracts.registry import (
    CertificateRegistered,
    CertificateSuspended,
    EnterpriseClassified,
    EnterpriseRegistered,
)
from ccc_shared.testing import harness
from ccc_shared.testing.actors import DEFAULT_PEOPLE, actor_headers
from ccc_shared.testing.harness import ServiceUnderTest

credit_code = harness.fresh_credit_code  # a valid code, unique in the session

# Who does what (the access rows, access.py): the section head plans, assigns and
# cancels; the assigned inspector starts and completes on site; machines run sweeps; auditors read.
HEAD, INSPECTOR, SYSTEM, AUDITOR = "section_head", "inspector", "system", "auditor"
ASSIGNEE = DEFAULT_PEOPLE[INSPECTOR][1]  # the inspector whose token starts and completes
AREAS = ("purchasing", "production", "testing", "warehousing", "mark_use")
NO_HASH = "0" * 64
SENT_AT = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)  # 09:00 on the fixture's 2026-05-04, UTC+8


@dataclass
class Clock:
    """The bureau's date: Monday 2026-05-04 unless a test moves it (to pass a deadline, say)."""

    moved_to: date = date(2026, 5, 4)

    def __call__(self) -> date:
        return self.moved_to


@dataclass
class InspectionService(ServiceUnderTest):
    """The running service as a test sees it: HTTP client, store, bus and the jobs' clock."""

    stream = "CCC_INSPECTION"

    clock: Clock

    async def published_types(self, inspection_id: str) -> list[str]:
        """The event types published on CCC_INSPECTION about one inspection."""
        return [
            m["event_type"]
            for m in await self.published()
            if m["data"].get("inspection_id") == inspection_id
        ]

    async def publish_registry(self, event: RecordedEvent) -> None:
        """Publish a registry contract event as the registry would (no message id)."""
        await self.publish("registry", event)

    async def publish_enforcement(self, event: RecordedEvent) -> None:
        """Publish an enforcement contract event as enforcement would (no message id)."""
        await self.publish("enforcement", event)

    async def published_of_type(self, event_type: str) -> list[dict[str, Any]]:
        """The data of every message of one type on CCC_INSPECTION."""
        return [m["data"] for m in await self.published() if m["event_type"] == event_type]

    async def get(self, path: str, role: str = AUDITOR, **params: Any) -> httpx.Response:
        """GET a query in ``role`` (an auditor unless said: auditors read everything)."""
        return await self.http.get(path, params=params, headers=actor_headers(role))

    async def read(self, path: str, role: str = AUDITOR, **params: Any) -> Any:
        """A query's JSON answer, asserting it was found."""
        response = await self.get(path, role, **params)
        assert response.status_code == 200, response.text
        return response.json()

    async def post(
        self, path: str, body: dict[str, Any] | None = None, *, role: str
    ) -> httpx.Response:
        """POST a command in ``role``, whatever comes of it."""
        return await self.http.post(path, json=body or {}, headers=actor_headers(role))

    async def inspections_of(self, code: str) -> list[dict[str, Any]]:
        """The inspections of an enterprise, as the list endpoint gives them."""
        items: list[dict[str, Any]] = (await self.read("/inspections", enterprise=code))["items"]
        return items

    async def command(
        self, path: str, body: dict[str, Any] | None = None, *, role: str
    ) -> dict[str, Any]:
        """POST a command in ``role``, asserting it worked."""
        response = await self.post(path, body, role=role)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result


def registry_event(
    number: str, data: EventData, aggregate_type: str = "certificate", source: str = "registry"
) -> RecordedEvent:
    """A contract event as its service publishes it (certificate by default), on the fixed day."""
    now = SENT_AT
    return RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, aggregate_type, number, 1,
        now, now, Actor(id="registrar-1", role="registrar"), str(new_event_id()), None,
        source, data, NO_HASH, NO_HASH,
    )  # fmt: skip


def registered(number: str, holder: str, category: str = "1812") -> RecordedEvent:
    """A CertificateRegistered for a fire extinguisher certificate of ``holder``."""
    today = date(2026, 5, 4)  # the fixture's fixed bureau date
    data = CertificateRegistered(
        certificate_number=number, holder_credit_code=holder, product_category=category,
        certification_body="CCCF", article="Order 117 art 19", effective_on=today,
        reason_code="issued", manufacturer="浙江消防器材有限公司", factory="杭州工厂",
        models=["MFZ/ABC4"], issued_on=today, expires_on=date(2031, 5, 3),  # 5 * 365 days later
    )  # fmt: skip
    return registry_event(number, data)


def suspended(number: str, holder: str) -> RecordedEvent:
    """A CertificateSuspended of that certificate."""
    data = CertificateSuspended(
        certificate_number=number, holder_credit_code=holder, product_category="1812",
        certification_body="CCCF", article="Order 117 art 27", effective_on=date(2026, 5, 4),
        reason_code="follow_up_refused_or_failed",
    )  # fmt: skip
    return registry_event(number, data)


def plan(code: str, **changes: Any) -> dict[str, Any]:
    """A patrol of an enterprise due a week after the fixture's 2026-05-04."""
    due = "2026-05-11"
    return {"enterprise_credit_code": code, "kind": "patrol", "due_on": due, **changes}


def record(products: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    """A patrol record with every area conforming, signed by the assigned inspector."""
    return {
        "areas": [{"area": area, "result": "conforming"} for area in AREAS],
        "products_seen": products or [],
        "inspectors": [ASSIGNEE],
        **changes,
    }


async def started(service: InspectionService, inspection_id: str) -> None:
    """The section head assigns an inspection to the inspector, who starts it on site."""
    assignment = {"department": "稽查科", "inspector": ASSIGNEE}
    await service.command(f"/inspections/{inspection_id}/assign", assignment, role=HEAD)
    await service.command(f"/inspections/{inspection_id}/start", role=INSPECTOR)


def enterprise_registered(code: str, **changes: Any) -> RecordedEvent:
    """An EnterpriseRegistered of a fire-extinguisher maker in the jurisdiction."""
    fields: dict[str, Any] = {
        "credit_code": code, "name": f"消防器材厂{code[-4:]}", "address": "文三路1号",
        "region": "西湖区", "scale": "small", "legal_representative": "张三",
        "contact": "0571-88888888", "in_jurisdiction": True, "product_categories": ["1812"],
        "registered_on": date(2026, 5, 4),
    }  # fmt: skip
    return registry_event(code, EnterpriseRegistered(**(fields | changes)), "enterprise")


def classified(code: str, old: str | None, new: str) -> RecordedEvent:
    """An EnterpriseClassified from ``old`` to ``new``."""
    data = EnterpriseClassified(
        credit_code=code, old_class=old, new_class=new, reasons=["spot check failed"],
        classified_on=date(2026, 5, 4),
    )  # fmt: skip
    return registry_event(code, data, "enterprise")


def complaint_received(complaint_id: str, subject: str) -> RecordedEvent:
    """A ComplaintReceived about ``subject``, as enforcement publishes it."""
    data = ComplaintReceived(
        complaint_id=complaint_id, channel="hotline", subject_credit_code=subject,
        problem="no_certificate", received_on=date(2026, 5, 4),
    )  # fmt: skip
    return registry_event(complaint_id, data, "complaint", "enforcement")


def rectification_ordered(case_number: str, subject: str, deadline: date) -> RecordedEvent:
    """A RectificationOrdered in a case, due by ``deadline``."""
    data = RectificationOrdered(
        case_number=case_number, subject_credit_code=subject, requirement="停止使用3C标志",
        ordered_on=date(2026, 5, 4), deadline=deadline,
    )  # fmt: skip
    return registry_event(case_number, data, "case", "enforcement")
