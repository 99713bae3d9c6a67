"""The inspection app on a real store and a private nats-server, driven over ASGI."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from inspection.main import Settings, create_app

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from inspection_support import Clock, InspectionService  # noqa: E402


@pytest.fixture
async def service(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[InspectionService]:
    """The inspection app running on a fresh database and a private nats-server."""
    settings = Settings(
        database_url=database_url,
        nats_url=embedded_nats.url,
        data_dir=tmp_path,
        surprise_inspection_within_days=7,
        patrol_horizon_days=400,  # a yearly patrol is scheduled at once: re-planning shows
        jurisdiction="330102",
    )
    clock = Clock()
    app = create_app(settings, clock=clock)
    nc = await nats.connect(embedded_nats.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://inspection") as http,
    ):
        yield InspectionService(app, http, nc, clock)
    await nc.close()
