"""The enforcement app on a real store and a private nats-server, driven over ASGI."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import nats
import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from enforcement.main import Settings, create_app

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from enforcement_support import Clock, EnforcementService  # noqa: E402


@pytest.fixture
async def service(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[EnforcementService]:
    """The enforcement app on a fresh database and a private nats-server, on a settable day."""
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    clock = Clock(date(2026, 3, 2))  # a Monday
    app = create_app(settings, clock=clock)
    nc = await nats.connect(embedded_nats.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://enforcement") as http,
    ):
        yield EnforcementService(app, http, nc, clock, database_url)
    await nc.close()
