"""What the enforcement integration tests share: the running service, bodies, bus in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ccc_contracts.base import EventData
from ccc_contracts.envelope import Actor, RecordedEvent, new_event_id, utcnow
from ccc_contracts.inspection import FindingRecorded, RectificationChecked, ViolationFound
from ccc_shared.testing import harness
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.harness import ServiceUnderTest

credit_code = harness.fresh_credit_code  # a valid code, unique in the session
eventually = harness.eventually

# Each step in the role that really takes it (see the access rows, access.py).
OFFICER = actor_headers("case_officer")  # officer-3, 李强: runs the cases assigned to him
HEAD = actor_headers("section_head")  # assigns cases, approves extensions
AUDITOR = actor_headers("auditor")  # reads everything, changes nothing
SYSTEM = actor_headers("system")  # machine callers: the deadline sweep
NO_HASH = "0" * 64


class Clock:
    """The bureau's day as the service sees it; tests move it on."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@dataclass
class EnforcementService(ServiceUnderTest):
    """The running service as a test sees it: HTTP client, store, bus and clock."""

    stream = "CCC_ENFORCEMENT"

    clock: Clock
    database_url: str

    async def published_types(self, case_number: str) -> list[str]:
        """The event types published on CCC_ENFORCEMENT about one case."""
        return [
            m["event_type"]
            for m in await self.published()
            if m["data"].get("case_number") == case_number
        ]

    async def publish_inspection(self, event: RecordedEvent, msg_id: str | None = None) -> None:
        """Publish an inspection contract event as inspection would (with a message id)."""
        headers = {"Nats-Msg-Id": msg_id or event.event_id}
        await self.nc.jetstream().publish(
            event.subject("inspection"), event.to_json(), headers=headers
        )

    async def command(
        self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """POST a command, asserting it worked."""
        response = await self.http.post(path, json=body or {}, headers=headers or OFFICER)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    async def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        """GET a query (as an auditor unless told), asserting it worked."""
        response = await self.http.get(path, params=params, headers=headers or AUDITOR)
        assert response.status_code == 200, response.text
        return response.json()

    async def cases_of(self, code: str) -> list[dict[str, Any]]:
        """The cases about a subject."""
        items: list[dict[str, Any]] = (await self.get("/cases", subject=code))["items"]
        return items


def inspection_event(
    aggregate_id: str, data: EventData, event_id: str | None = None
) -> RecordedEvent:
    """An inspection contract event as inspection publishes it."""
    now = utcnow()
    return RecordedEvent(
        event_id or str(new_event_id()), data.event_type, data.schema_version, "inspection",
        aggregate_id, 1, now, now, Actor(id="inspector-7", role="inspector"),
        str(new_event_id()), None, "inspection", data, NO_HASH, NO_HASH,
    )  # fmt: skip


def violation(code: str, violation_id: str, **changes: Any) -> RecordedEvent:
    """A ViolationFound (v2) at an enterprise."""
    fields: dict[str, Any] = {
        "violation_id": violation_id, "enterprise_credit_code": code, "kind": "no_certificate",
        "article": "Order 117 art 49", "inspection_id": "INS-1", "evidence": ["photo-1"],
    }  # fmt: skip
    return inspection_event("INS-1", ViolationFound(**(fields | changes)))


def minor_finding(code: str, finding_id: str) -> RecordedEvent:
    """A FindingRecorded: a minor problem solved by guidance on the spot."""
    data = FindingRecorded(
        finding_id=finding_id, enterprise_credit_code=code, inspection_id="INS-1",
        area="warehousing", summary="仓储区未分区; 已指导整改",
    )  # fmt: skip
    return inspection_event("INS-1", data)


def rectification_checked(code: str, case_number: str, passed: bool) -> RecordedEvent:
    """A RectificationChecked of a case's order."""
    data = RectificationChecked(
        inspection_id="INS-R1", case_number=case_number, enterprise_credit_code=code,
        checked_on=date(2026, 3, 20), passed=passed, notes="still no certificate",
    )  # fmt: skip
    return inspection_event("INS-R1", data)


def penalty(sha256: str, amount: int = 80_000, **changes: Any) -> dict[str, Any]:
    """A fine under Order 117 art 49 with its decision document."""
    return {
        "basis_article": "Order 117 art 49",
        "penalty_type": "fine",
        "amount": amount,
        "decision_document_number": "X市监罚〔2026〕1号",
        "decision_document_sha256": sha256,
        **changes,
    }


async def handled(service: EnforcementService, number: str) -> None:
    """Assign a case to officer-3 (李强), register it and start the investigation."""
    assignment = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
    await service.command(f"/cases/{number}/assign", assignment, HEAD)
    await service.command(f"/cases/{number}/register")
    await service.command(f"/cases/{number}/investigate")
