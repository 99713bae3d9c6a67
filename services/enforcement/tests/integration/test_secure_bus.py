"""On a secured bus (per-service users and permissions) enforcement runs as its own user: it
starts, reacts to what inspection publishes, and publishes its own events for outsiders."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from enforcement_support import Clock, EnforcementService, credit_code, violation

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.servers import connect_as
from enforcement.main import Settings, create_app

pytestmark = pytest.mark.integration


async def test_enforcement_runs_as_its_own_bus_user(
    database_url: str, secure_nats: EmbeddedNats, tmp_path: Path
) -> None:
    user, password = secure_nats.credentials("enforcement")
    settings = Settings(
        database_url=database_url, nats_url=secure_nats.url, data_dir=tmp_path,
        nats_user=user, nats_password=password,
    )  # fmt: skip
    app = create_app(settings, clock=Clock(date(2026, 3, 2)))
    inspection = await connect_as(secure_nats, "inspection")
    outside = await connect_as(secure_nats, "outside")
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://enforcement") as http,
        ):
            service = EnforcementService(app, http, outside, Clock(date(2026, 3, 2)), database_url)
            code = credit_code()
            found = violation(code, "INS-9/V1")
            once = {"Nats-Msg-Id": found.event_id}
            await inspection.jetstream().publish(
                found.subject("inspection"), found.to_json(), headers=once
            )
            cases = await service.eventually(lambda: service.cases_of(code))
            number = cases[0]["case_number"]

            async def opened() -> list[dict[str, Any]]:
                return [m for m in await service.published() if m["event_type"] == "CaseOpened"]

            published = (await service.eventually(opened))[0]  # read by an outsider
            assert published["data"]["case_number"] == number
            assert published["causation_id"] == found.event_id
            assert app.state.kernel.runners[0].metrics.retried == 0
        log = secure_nats.log_path.read_text(errors="replace")
        assert " Violation " not in log, log[-2000:]  # "Publish Violation", "Subscription ..."
    finally:
        await inspection.close()
        await outside.close()
