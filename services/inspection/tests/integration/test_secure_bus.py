"""On a secured bus (per-service users and permissions) inspection runs as its own user: it
starts, reacts to what the registry and enforcement publish, and publishes its own events for
outsiders, without one permissions violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from inspection_support import (
    HEAD,
    INSPECTOR,
    Clock,
    InspectionService,
    complaint_received,
    credit_code,
    record,
    registered,
    started,
    suspended,
)

from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.servers import connect_as
from inspection.application.reactions import complaint_followup_id, surprise_inspection_id
from inspection.main import Settings, create_app

pytestmark = pytest.mark.integration


async def publish(connection: nats.NATS, context: str, event: RecordedEvent) -> None:
    """Publish a contract event as its service's own bus user does."""
    await connection.jetstream().publish(
        event.subject(context), event.to_json(), headers={"Nats-Msg-Id": event.event_id}
    )


async def test_inspection_runs_as_its_own_bus_user(
    database_url: str, secure_nats: EmbeddedNats, tmp_path: Path
) -> None:
    user, password = secure_nats.credentials("inspection")
    settings = Settings(
        database_url=database_url, nats_url=secure_nats.url, data_dir=tmp_path,
        nats_user=user, nats_password=password,
    )  # fmt: skip
    clock = Clock()
    app = create_app(settings, clock=clock)
    registry = await connect_as(secure_nats, "registry")
    enforcement = await connect_as(secure_nats, "enforcement")
    outside = await connect_as(secure_nats, "outside")
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://inspection") as http,
        ):
            service = InspectionService(app, http, outside, clock)
            code = credit_code()
            withdrawn = suspended("CERT-SEC", code)
            await publish(registry, "registry", registered("CERT-SEC", code))
            await publish(registry, "registry", withdrawn)
            complaint = complaint_received("CMP-SEC", code)
            await publish(enforcement, "enforcement", complaint)

            async def both() -> set[str]:
                found = {i["inspection_id"] for i in await service.inspections_of(code)}
                return found if len(found) == 2 else set()

            assert await service.eventually(both) == {
                surprise_inspection_id(withdrawn),
                complaint_followup_id(complaint),
            }
            surprise = surprise_inspection_id(withdrawn)
            await started(service, surprise)
            product = {"product_category": "1812", "model": "MFZ/ABC4"}
            product["certificate_number"] = "CERT-SEC"  # the suspended certificate
            complete = f"/inspections/{surprise}/complete"
            await service.command(complete, record([product]), role=INSPECTOR)
            cancel = f"/inspections/{complaint_followup_id(complaint)}/cancel"
            await service.command(cancel, {"reason": "covered by the surprise"}, role=HEAD)

            async def violation() -> list[dict[str, Any]]:  # read by an outsider
                return await service.published_of_type("ViolationFound")

            (found,) = await service.eventually(violation)
            assert (found["kind"], found["certificate_number"]) == (
                "certificate_invalid", "CERT-SEC",
            )  # fmt: skip
            published = await service.published_types(surprise)
            assert published[:2] == ["InspectionScheduled", "InspectionCompleted"], published
            assert all(runner.metrics.retried == 0 for runner in app.state.kernel.runners)
        log = secure_nats.log_path.read_text(errors="replace")
        assert "Permissions Violation" not in log, log[-2000:]
    finally:
        for connection in (registry, enforcement, outside):
            await connection.close()
