"""The "100% dossiers" figure per region over the months, as the section head reads it.

The registry here runs on the bureau's real day (as in production), since a custodian is named
at the moment its event is recorded: two catalogue enterprises registered this month in 西湖区,
one with its custodian named later; two in 拱墅区, one with its custodian named in its
registration. Last month none was registered yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import nats
import pytest
from registry_support import HEAD, Registry, credit_code, register

from ccc_shared.handling import bureau_today
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from enterprise_registry.main import Settings, create_app

pytestmark = pytest.mark.integration


@pytest.fixture
async def registry_today(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Registry]:
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    app = create_app(settings)  # the production clock: today in the bureau's zone
    nc = await nats.connect(embedded_nats.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://registry") as http,
    ):
        yield Registry(app, http, nc)
    await nc.close()


async def test_catalogue_enterprises_and_kept_dossiers_at_each_months_end_per_region(
    registry_today: Registry,
) -> None:
    registry = registry_today
    kept, without, elsewhere = credit_code(), credit_code(), credit_code()
    for code in (kept, without):
        await register(registry, code)
    await register(registry, elsewhere, region="拱墅区")
    await register(registry, credit_code(), region="拱墅区", custodian_id="li")  # named at once
    named = await registry.http.post(
        f"/enterprises/{kept}/custodian", json={"custodian_id": "zhao"}, headers=HEAD
    )
    assert named.status_code == 200, named.text

    history = await registry.read("/figures/dossier-history", months=2)

    today = bureau_today()
    last_month = today.replace(day=1) - timedelta(days=1)
    assert history["months"] == [last_month.strftime("%Y-%m"), today.strftime("%Y-%m")]
    assert [
        (row["region"], [(m["total"], m["done"]) for m in row["months"]]) for row in history["rows"]
    ] == [("拱墅区", [(0, 0), (2, 1)]), ("西湖区", [(0, 0), (2, 1)])]
