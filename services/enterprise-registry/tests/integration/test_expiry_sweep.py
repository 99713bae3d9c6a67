"""Automatic expiry: the sweep expires exactly the overdue certificates, once, as the service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from registry_support import (
    AUDITOR,
    HEAD,
    SYSTEM,
    Registry,
    credit_code,
    register,
    register_certificate,
    running_registry,
)

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from enterprise_registry.main import Settings, create_app

pytestmark = pytest.mark.integration

START = date(2026, 3, 2)  # the bureau's day when each test begins


class Clock:
    """The bureau's date as the test sets it."""

    def __init__(self) -> None:
        self.today = START

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def swept(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path, clock: Clock
) -> AsyncIterator[Registry]:
    """The registry app with the test's clock for its expiry sweep."""
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    async with running_registry(settings, clock=clock) as registry:
        yield registry


async def certificate(registry: Registry, number: str, holder: str, expires_in: int) -> None:
    """Register a certificate expiring ``expires_in`` days from the start."""
    expires_on = (START + timedelta(days=expires_in)).isoformat()
    await register_certificate(registry, number, holder, expires_on=expires_on)


async def sweep(registry: Registry) -> dict[str, Any]:
    """Run the sweep over HTTP, as the machine caller that triggers it."""
    response = await registry.http.post("/maintenance/expiry-sweep", headers=SYSTEM)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_the_sweep_expires_exactly_the_overdue_certificates_once(
    swept: Registry, clock: Clock
) -> None:
    holder = credit_code()
    await register(swept, holder)
    await certificate(swept, "EXP-A", holder, expires_in=10)
    await certificate(swept, "EXP-B", holder, expires_in=20)
    await certificate(swept, "EXP-C", holder, expires_in=30)  # its last valid day
    await certificate(swept, "KEEP", holder, expires_in=400)
    suspend = {"reason_code": "holder_requested", "reason": "企业申请暂停"}
    response = await swept.http.post("/certificates/EXP-B/suspend", json=suspend, headers=HEAD)
    assert response.status_code == 200, response.text
    cancel = {"reason_code": "no_longer_produced"}
    await certificate(swept, "GONE", holder, expires_in=5)
    response = await swept.http.post("/certificates/GONE/cancel", json=cancel, headers=HEAD)
    assert response.status_code == 200, response.text

    assert await sweep(swept) == {"today": "2026-03-02", "expired": []}
    clock.today = date(2026, 4, 1)  # 30 days on
    assert (await sweep(swept))["expired"] == ["EXP-A", "EXP-B"]
    before = swept.event_count()
    assert await sweep(swept) == {"today": "2026-04-01", "expired": []}
    assert swept.event_count() == before

    statuses = {
        number: (await swept.read(f"/certificates/{number}"))["status"]
        for number in ("EXP-A", "EXP-B", "EXP-C", "KEEP", "GONE")
    }
    assert statuses == {
        "EXP-A": "expired",
        "EXP-B": "expired",
        "EXP-C": "valid",
        "KEEP": "valid",
        "GONE": "cancelled",
    }

    async def published() -> list[dict[str, Any]]:
        found = await swept.published_on("ccc.registry.certificate.>")
        expired = [m for m in found if m["event_type"] == "CertificateExpired"]
        return expired if len(expired) == 2 else []

    expired = await swept.eventually(published)
    assert {m["aggregate_id"] for m in expired} == {"EXP-A", "EXP-B"}
    assert expired[0]["actor"] == {
        "id": "enterprise-registry",
        "role": "system",
        "name": "enterprise-registry",
    }
    assert expired[0]["data"]["effective_on"] == "2026-03-13"  # the day after EXP-A expired


async def test_the_sweep_runs_at_start(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> None:
    """A certificate overdue while the service was down is expired when it starts again."""
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    clock = Clock()
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
            registry = Registry(app, http, await nats.connect(embedded_nats.url))
            await register(registry, holder := credit_code())
            await certificate(registry, "LATE", holder, expires_in=3)
            await registry.nc.close()
    clock.today = date(2026, 3, 6)  # the day after LATE expires
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:

            async def expired() -> bool:
                found = (await http.get("/certificates/LATE", headers=AUDITOR)).json()
                return bool(found["status"] == "expired")

            registry = Registry(app, http, await nats.connect(embedded_nats.url))
            await registry.eventually(expired)
            await registry.nc.close()
