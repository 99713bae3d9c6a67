"""Registry certificate events: the local register feeds findings, withdrawals bring surprises."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from inspection_support import (
    INSPECTOR,
    InspectionService,
    credit_code,
    record,
    registered,
    registry_event,
    started,
    suspended,
)

from ccc_shared.contracts.registry import CertificateRevoked
from ccc_shared.eventstore.envelope import StreamId
from ccc_shared.service import react
from inspection.application.reactions import REACTIONS

pytestmark = pytest.mark.integration


async def surprises(service: InspectionService, code: str) -> list[dict[str, Any]]:
    """The surprise inspections of an enterprise."""
    return [i for i in await service.inspections_of(code) if i["kind"] == "surprise"]


async def test_a_product_made_under_a_suspended_certificate_is_a_violation(
    service: InspectionService,
) -> None:
    code = credit_code()
    await service.publish_registry(registered("CERT-S1", code))
    await service.publish_registry(suspended("CERT-S1", code))
    found = await service.eventually(lambda: surprises(service, code))
    inspection_id = found[0]["inspection_id"]
    assert "CERT-S1 suspended" in found[0]["cause"]
    assert found[0]["due_on"] == "2026-05-11"  # within 7 days of the suspension on 2026-05-04
    await started(service, inspection_id)
    product = {"product_category": "1812", "model": "MFZ/ABC4", "certificate_number": "CERT-S1"}
    complete = f"/inspections/{inspection_id}/complete"
    done = await service.command(complete, record([product]), role=INSPECTOR)
    types = [e["event_type"] for e in done["events"]]
    assert types == ["InspectionCompleted", "ViolationFound"]

    async def violation() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "ViolationFound"]

    published = await service.eventually(violation)
    assert published[0]["data"]["kind"] == "certificate_invalid"
    assert published[0]["data"]["certificate_number"] == "CERT-S1"
    view = await service.read(f"/inspections/{inspection_id}")
    assert (view["status"], view["violations"]) == ("completed", 1)


async def test_a_suspension_delivered_twice_schedules_one_surprise_inspection(
    service: InspectionService,
) -> None:
    code = credit_code()
    await service.publish_registry(registered("CERT-T1", code))
    # under a known id: the surprise inspection it schedules is named after it
    cause = dataclasses.replace(
        suspended("CERT-T1", code), event_id="0196a1b2-0000-7000-8000-0000000000a1"
    )
    await service.publish_registry(cause)
    await service.publish_registry(cause)
    revoked = CertificateRevoked(
        certificate_number="CERT-T2", holder_credit_code=code, product_category="1812",
        certification_body="CCCF", article="Order 117 art 28",
        effective_on=date(2026, 5, 4),  # the fixture's fixed bureau date
        reason_code="other",
    )  # fmt: skip
    await service.publish_registry(registry_event("CERT-T2", revoked))  # a later, other cause

    async def both() -> bool:
        return len(await surprises(service, code)) >= 2

    await service.eventually(both)
    found = await surprises(service, code)
    assert sorted(i["cause"].split(" ")[2] for i in found) == ["revoked", "suspended"]
    assert "surprise-0196a1b2-0000-7000-8000-0000000000a1" in {i["inspection_id"] for i in found}

    handler = react(REACTIONS, service.app.state.application)
    before = service.event_count()
    with service.store.transaction() as conn:  # past the runner's ledger: still no second one
        handler(cause, conn)
        handler(cause, conn)
    assert service.event_count() == before
    stream = StreamId("inspection", "surprise-0196a1b2-0000-7000-8000-0000000000a1")
    assert [e.event_type for e in service.store.load(stream)] == ["InspectionScheduled"]
