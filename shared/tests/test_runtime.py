"""Runtime pieces against real servers: embedded NATS, settings, logging, test databases."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import uuid
from pathlib import Path

import nats
import pytest
import structlog
from fastapi import FastAPI
from pydantic_settings import SettingsConfigDict
from sqlalchemy import create_engine, inspect, text

from ccc_contracts import registry as registry_contracts
from ccc_contracts.envelope import StreamId
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.kernel import ServiceKernel, Subscription
from ccc_shared.runtime.logging import bound_event, configure_logging
from ccc_shared.runtime.periodic import install_periodic
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.testing.harness import eventually
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store


class RegistryLikeSettings(ServiceSettings):
    """A service's settings as a subclass declares them."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    service_name: str = "enterprise-registry"
    http_port: int = 8101


async def test_embedded_nats_accepts_a_jetstream_publish(embedded_nats: EmbeddedNats) -> None:
    client = await nats.connect(embedded_nats.url)
    try:
        jetstream = client.jetstream()
        await jetstream.add_stream(name="CCC_TEST", subjects=["ccc.test.>"])
        ack = await jetstream.publish("ccc.test.a.1.Happened", b"{}")
        assert (ack.stream, ack.seq) == ("CCC_TEST", 1)
    finally:
        await client.close()


async def test_restart_keeps_port_and_data_and_clients_reconnect(
    embedded_nats: EmbeddedNats,
) -> None:
    url = embedded_nats.url
    reconnected = asyncio.Event()

    async def on_reconnect() -> None:
        reconnected.set()

    client = await nats.connect(
        url, reconnected_cb=on_reconnect, max_reconnect_attempts=-1, reconnect_time_wait=0.05
    )
    try:
        jetstream = client.jetstream()
        await jetstream.add_stream(name="CCC_TEST", subjects=["ccc.test.>"])
        await jetstream.publish("ccc.test.a.1.Happened", b"before")

        assert await asyncio.to_thread(embedded_nats.restart) == url
        await asyncio.wait_for(reconnected.wait(), timeout=10)

        ack = await jetstream.publish("ccc.test.a.1.Happened", b"after")
        assert ack.seq == 2
        info = await jetstream.stream_info("CCC_TEST")
        assert info.state.messages == 2
    finally:
        await client.close()


def test_embedded_nats_context_manager_stops_the_server(tmp_path: Path) -> None:
    with EmbeddedNats(tmp_path / "nats") as server:
        assert server.running
        assert server.url.startswith("nats://127.0.0.1:")
    assert not server.running


def test_settings_read_unprefixed_and_prefixed_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NATS_URL", "nats://127.0.0.1:4999")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/shared")
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/reg")
    monkeypatch.setenv("REGISTRY_HTTP_PORT", "9101")
    monkeypatch.setenv("REGISTRY_LOG_FORMAT", "json")

    settings = RegistryLikeSettings()

    assert settings.nats_url == "nats://127.0.0.1:4999"
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1/reg"
    assert (settings.http_port, settings.log_format) == (9101, "json")


def test_settings_default_to_an_embedded_bus_and_a_sqlite_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("NATS_URL", "DATABASE_URL", "REGISTRY_NATS_URL", "REGISTRY_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path))

    settings = RegistryLikeSettings()

    assert settings.nats_url is None
    assert settings.database_url == f"sqlite:///{tmp_path}/enterprise-registry.db"
    assert RegistryLikeSettings(nats_url="nats://127.0.0.1:1").nats_url == "nats://127.0.0.1:1"


def test_json_logs_carry_the_bound_event_on_every_line() -> None:
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream, service="enterprise-registry")
    envelope = {"event_id": uuid.uuid4(), "correlation_id": uuid.uuid4(), "causation_id": None}
    try:
        with bound_event(envelope):
            structlog.get_logger("ccc").info("certificate suspended", certificate="认证-01")
            logging.getLogger("stdlib").warning("from the standard library")
        structlog.get_logger("ccc").info("outside")
    finally:
        logging.getLogger().handlers.clear()
        structlog.reset_defaults()

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["event"] for line in lines] == [
        "certificate suspended",
        "from the standard library",
        "outside",
    ]
    for line in lines[:2]:
        assert line["event_id"] == str(envelope["event_id"])
        assert line["correlation_id"] == str(envelope["correlation_id"])
        assert "causation_id" not in line
        assert line["service"] == "enterprise-registry"
        assert line["timestamp"].endswith("Z")
    assert lines[0]["certificate"] == "认证-01"
    assert "event_id" not in lines[2]


def test_each_test_database_is_fresh_and_usable(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            assert inspect(connection).get_table_names() == []
            connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
            connection.execute(text("INSERT INTO probe (id) VALUES (1)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM probe")).scalar() == 1
    finally:
        engine.dispose()


async def test_session_nats_url_serves_jetstream(nats_url: str) -> None:
    client = await nats.connect(nats_url)
    try:
        jetstream = client.jetstream()
        name = f"CCC_PROBE_{uuid.uuid4().hex[:8].upper()}"
        await jetstream.add_stream(name=name, subjects=[f"probe.{name}.>"])
        ack = await jetstream.publish(f"probe.{name}.x", b"{}", headers={"Nats-Msg-Id": "1"})
        duplicate = await jetstream.publish(f"probe.{name}.x", b"{}", headers={"Nats-Msg-Id": "1"})
        assert (ack.seq, duplicate.duplicate) == (1, True)
        await jetstream.delete_stream(name)
    finally:
        await client.close()


def test_two_subscriptions_under_one_name_are_refused(tmp_path: Path) -> None:
    """A consumer's checkpoint is keyed by its name: one name on two streams would share it."""

    def ignore(event: object, conn: object) -> None:
        return None

    same = [
        Subscription(name="dossiers", context=c, subjects=[f"ccc.{c}.>"], handler=ignore)
        for c in ("inspection", "enforcement")
    ]
    settings = ServiceSettings(database_url=f"sqlite:///{tmp_path / 'k.db'}")
    with pytest.raises(ValueError, match="subscription names must be unique"):
        ServiceKernel(
            settings,
            context=registry_contracts.CONTEXT,
            registry=registry_contracts.registry,
            subscriptions=same,
        )


async def test_periodic_work_runs_again_as_soon_as_its_store_commits(tmp_path: Path) -> None:
    """A notice queued is sent at once: a commit wakes the work long before its period."""
    store = make_store(f"sqlite:///{tmp_path / 'p.db'}")
    rounds: list[int] = []
    app = FastAPI()
    install_periodic(app, "probe", lambda: rounds.append(1), every_seconds=3600, wake_on=store)
    async with app.router.lifespan_context(app):
        await eventually(lambda: rounds)  # the work runs at start-up
        assert len(rounds) == 1, "once"
        await asyncio.to_thread(
            store.append,
            StreamId("sample", "s1"),
            [SampleRecorded(writer="w", sequence=1)],
            0,
            inspector(),
        )
        await eventually(lambda: len(rounds) >= 2)  # a commit woke the work, an hour early
        assert len(rounds) == 2, "once per commit"
    store.close()
