"""The campaign-deadline job on its own: once a campaign's deadline has passed, every producer
still uncertified is raised as a violation, once, however many rounds the job runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
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
    credit_code,
    enterprise_registered,
)

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from inspection.main import Settings, create_app

pytestmark = pytest.mark.integration
FIRE = {"title": "七类消防产品强制性认证", "product_categories": ["1812"], "regions": ["西湖区"]}


@pytest.fixture
async def service(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[InspectionService]:
    """The inspection app whose jobs (patrol plan, campaign deadlines) run every 0.12 s."""
    settings = Settings(
        database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path,
        patrol_plan_every_minutes=0.002,
    )  # fmt: skip
    clock = Clock(moved_to=date(2026, 12, 1))
    app = create_app(settings, clock=clock)
    nc = await nats.connect(embedded_nats.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://inspection") as http,
    ):
        yield InspectionService(app, http, nc, clock)
    await nc.close()


async def surveyed_campaign(
    service: InspectionService, campaign_id: str, deadline: str, *producers: str
) -> None:
    """A campaign whose producers were all found by the survey and told the rules."""
    body = {**FIRE, "campaign_id": campaign_id, "deadline": deadline}
    await service.command("/campaigns", body, role=HEAD)
    for code in producers:
        found = {"credit_code": code, "product_categories": ["1812"], "notes": "走访发现"}
        await service.command(f"/campaigns/{campaign_id}/enterprises", found, role=INSPECTOR)
        step = f"/campaigns/{campaign_id}/enterprises/{code}/steps"
        await service.command(step, {"step": "informed"}, role=INSPECTOR)


async def raised(service: InspectionService) -> list[tuple[str, str, str]]:
    """Every published ViolationFound: its id, producer and kind."""
    return [
        (v["violation_id"], v["enterprise_credit_code"], v["kind"])
        for v in await service.published_of_type("ViolationFound")
    ]


async def test_the_deadline_job_raises_each_uncertified_producer_once_after_the_deadline(
    service: InspectionService,
) -> None:
    laggard, stopped, marker = credit_code(), credit_code(), credit_code()
    for code in (laggard, stopped, marker):
        await service.publish_registry(enterprise_registered(code))
    await surveyed_campaign(service, "CAM-FIRE", "2026-12-31", laggard, stopped)
    step = f"/campaigns/CAM-FIRE/enterprises/{stopped}/steps"
    await service.command(step, {"step": "stopped_production"}, role=INSPECTOR)
    await surveyed_campaign(service, "CAM-MARK", "2027-01-04", marker)

    service.clock.moved_to = date(2027, 1, 1)  # the day after the deadline

    async def one_raised() -> list[tuple[str, str, str]]:
        return await raised(service)

    assert await service.eventually(one_raised) == [
        (f"CAM-FIRE/{laggard}", laggard, "no_certificate")
    ]
    view: dict[str, Any] = await service.read("/campaigns/CAM-FIRE")
    assert {m["credit_code"]: m["violation_id"] for m in view["enterprises"]} == {
        laggard: f"CAM-FIRE/{laggard}",
        stopped: None,
    }

    # the marker campaign's deadline passes later: once the job has raised its producer, it has
    # run rounds after the first raise, and those raised nobody twice
    service.clock.moved_to = date(2027, 1, 5)

    async def marker_raised() -> bool:
        return any(code == marker for _, code, _ in await raised(service))

    await service.eventually(marker_raised)
    assert await raised(service) == [
        (f"CAM-FIRE/{laggard}", laggard, "no_certificate"),
        (f"CAM-MARK/{marker}", marker, "no_certificate"),
    ]
