"""What an operator sees of a running service: GET /ready and GET /metrics, on real servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from registry_support import Registry, credit_code, register, running_registry
from sqlalchemy import Engine, make_url, text
from test_outside_events import publish, violation

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.servers import fresh_postgres_database
from enterprise_registry.main import Settings

pytestmark = pytest.mark.integration
STALL = 1.0  # seconds without progress before /ready says so (30 by default)


@pytest.fixture
def postgres_database(postgres_admin_engine: Engine) -> Iterator[str]:
    with fresh_postgres_database(postgres_admin_engine) as url:
        yield url


async def running(database_url: str, nats_url: str, tmp_path: Path) -> AsyncIterator[Registry]:
    settings = Settings(
        database_url=database_url, nats_url=nats_url, data_dir=tmp_path,
        ready_stall_seconds=STALL,
    )  # fmt: skip
    async with running_registry(
        settings, max_reconnect_attempts=-1, reconnect_time_wait=0.2
    ) as registry:
        yield registry


@pytest.fixture
async def registry(
    postgres_database: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Registry]:
    async for service in running(postgres_database, embedded_nats.url, tmp_path):
        yield service


async def readiness(registry: Registry) -> tuple[int, list[str]]:
    response = await registry.http.get("/ready")
    return response.status_code, response.json().get("reasons", [])


async def samples(registry: Registry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of GET /metrics by name and labels (no token needed, as a scraper calls)."""
    response = await registry.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def block_connections(admin: Engine, database: str, allowed: bool) -> None:
    """Let nobody (or everybody again) connect to the database; drop its open sessions."""
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {allowed}'))
        if not allowed:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                {"d": database},
            )


async def test_ready_says_503_and_why_while_the_database_or_the_bus_is_away_then_200(
    registry: Registry, postgres_database: str, postgres_admin_engine: Engine,
    embedded_nats: EmbeddedNats,
) -> None:  # fmt: skip
    assert await readiness(registry) == (200, [])
    database = str(make_url(postgres_database).database)
    block_connections(postgres_admin_engine, database, allowed=False)
    try:
        status, reasons = await registry.eventually(lambda: _unready(registry), within=20)
        assert status == 503
        assert any(reason.startswith("database unreachable: ") for reason in reasons), reasons
    finally:
        block_connections(postgres_admin_engine, database, allowed=True)
    await registry.eventually(lambda: _ready(registry), within=20)

    embedded_nats.stop()
    try:
        status, reasons = await registry.eventually(lambda: _unready(registry), within=20)
        assert "bus unreachable: not connected to NATS" in reasons
    finally:
        embedded_nats.start()
    await registry.eventually(lambda: _ready(registry), within=30)


async def _unready(registry: Registry) -> tuple[int, list[str]] | None:
    status, reasons = await readiness(registry)
    return (status, reasons) if status == 503 else None


async def _ready(registry: Registry) -> bool:
    return (await readiness(registry))[0] == 200


async def test_metrics_move_under_a_command_and_a_consumed_event(registry: Registry) -> None:
    before = await samples(registry)
    code = credit_code()
    result = await register(registry, code)
    created = ("ccc_commands_total", (("method", "POST"), ("route", "/enterprises"),
                                      ("status", "201")))  # fmt: skip
    after = await samples(registry)
    assert before.get(created, 0.0) == 0.0
    assert after[created] == 1.0
    latency = ("ccc_command_seconds_count", (("method", "POST"), ("route", "/enterprises")))
    assert after[latency] == 1.0
    appended = ("ccc_events_appended_total", ())
    assert after[appended] == before[appended] + len(result["events"])

    consumer = (("consumer", "registry-inspection"),)
    assert after[("ccc_consumer_processed_total", consumer)] == 0.0
    await publish(registry, "inspection", violation(code, "V-1"))

    async def handled() -> dict[tuple[str, tuple[tuple[str, str], ...]], float] | None:
        now = await samples(registry)
        return now if now[("ccc_consumer_processed_total", consumer)] == 1.0 else None

    now = await registry.eventually(handled, within=20)
    assert now[("ccc_consumer_pending", consumer)] == 0.0
    assert now[("ccc_consumer_retries_total", consumer)] == 0.0
    assert now[("ccc_deadletters", consumer)] == 0.0
    # the relay published what the command and the reaction appended
    await registry.eventually(lambda: _outbox_empty(registry), within=20)
    final = await samples(registry)
    assert final[("ccc_outbox_depth", ())] == 0.0
    assert final[("ccc_relay_published_total", ())] == len(await registry.published())
    assert final[("ccc_relay_publish_seconds_count", ())] >= 1.0


async def _outbox_empty(registry: Registry) -> bool:
    return (await samples(registry))[("ccc_outbox_depth", ())] == 0.0
