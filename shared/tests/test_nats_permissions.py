"""NATS permissions on a real nats-server: each service publishes only its own subjects.

The server runs with the generated config (``EmbeddedNats(secure=True)``); the services run
the real kernel (outbox relay, subscription runner, dead letters) with their own users.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import nats
import pytest
from messaging_support import (
    FAIL_NOTE,
    append_events,
    create_projection,
    projection_handler,
    read_projection,
)
from nats.aio.client import Client as NatsClient
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic_settings import SettingsConfigDict

from ccc_shared.messaging import DEADLETTER_STREAM, stream_name
from ccc_shared.runtime.embedded_nats import EmbeddedNats, EmbeddedNatsError
from ccc_shared.runtime.kernel import ServiceKernel, Subscription
from ccc_shared.runtime.nats_permissions import inbox_prefix, uncovered_subscriptions
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.testing.sample_events import sample_registry

REGISTRY, INSPECTION = stream_name("registry"), stream_name("inspection")
VIOLATION = "permissions violation"


@pytest.fixture
def secure_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    server = EmbeddedNats(tmp_path / "nats", secure=True)
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


class Connection:
    """A client connected as one bus user, collecting the errors the server sends it."""

    def __init__(self, nc: NatsClient, errors: list[str]) -> None:
        self.nc, self.errors, self.js = nc, errors, nc.jetstream(timeout=1.0)

    async def violations(self, within: float = 2.0) -> list[str]:
        """The permission violations reported so far (waiting briefly for the first)."""
        await self.nc.flush()
        for _ in range(int(within / 0.02)):
            if self.errors:
                break
            await asyncio.sleep(0.02)
        return [error for error in self.errors if VIOLATION in error.lower()]


async def connect_as(server: EmbeddedNats, user: str) -> Connection:
    errors: list[str] = []

    async def collect(error: Exception) -> None:
        errors.append(str(error))

    name, password = server.credentials(user)
    nc = await nats.connect(
        server.url, user=name, password=password, inbox_prefix=inbox_prefix(user),
        error_cb=collect, max_reconnect_attempts=0,
    )  # fmt: skip
    return Connection(nc, errors)


@pytest.fixture
async def users(secure_nats: EmbeddedNats) -> AsyncIterator[dict[str, Connection]]:
    connections = {
        user: await connect_as(secure_nats, user)
        for user in ("registry", "inspection", "enforcement", "outside")
    }
    yield connections
    for connection in connections.values():
        await connection.nc.close()


def kernel(server: EmbeddedNats, tmp_path: Path, context: str, **options: object) -> ServiceKernel:
    """A service kernel on a SQLite file, connected as the context's own bus user."""
    user, password = server.credentials(context)
    settings = ServiceSettings(
        service_name=context, nats_url=server.url, data_dir=tmp_path / context,
        nats_user=user, nats_password=password,
    )  # fmt: skip
    (tmp_path / context).mkdir(parents=True, exist_ok=True)
    return ServiceKernel(
        settings, context=context, registry=sample_registry, published=sample_registry,
        consumed=sample_registry,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


async def messages_in(connection: Connection, stream: str) -> int:
    return (await connection.js.stream_info(stream)).state.messages


async def test_without_credentials_nobody_connects(secure_nats: EmbeddedNats) -> None:
    with pytest.raises(Exception, match=r"[Aa]uthorization"):
        await nats.connect(secure_nats.url, max_reconnect_attempts=0, allow_reconnect=False)
    with pytest.raises(EmbeddedNatsError):
        EmbeddedNats().credentials("registry")


async def test_a_service_publishing_to_another_services_subjects_is_refused(
    secure_nats: EmbeddedNats, tmp_path: Path, users: dict[str, Connection]
) -> None:
    inspection = kernel(secure_nats, tmp_path, "inspection")
    await inspection.start()  # creates CCC_INSPECTION under its own user
    try:
        registry = users["registry"]
        await registry.nc.publish("ccc.inspection.inspection.i-1.InspectionCompleted", b"{}")
        with pytest.raises(asyncio.TimeoutError):  # no answer: the server dropped it
            await registry.js.publish("ccc.inspection.inspection.i-1.Forged", b"{}", timeout=0.5)
        violations = await registry.violations()
        assert any('publish to "ccc.inspection.inspection.i-1.' in v.lower() for v in violations)
        assert await messages_in(users["inspection"], INSPECTION) == 0
        # nor may it delete, purge or read another service's stream with its own consumer
        registry.errors.clear()
        for subject in (
            f"$JS.API.STREAM.DELETE.{INSPECTION}",
            f"$JS.API.STREAM.PURGE.{INSPECTION}",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{REGISTRY}.inspection-registry",
        ):
            with pytest.raises(nats.errors.TimeoutError):
                await registry.nc.request(subject, b"{}", timeout=0.3)
        assert len(await registry.violations()) >= 3
    finally:
        await inspection.stop()


async def test_own_publish_and_consume_work_through_the_real_kernel(
    secure_nats: EmbeddedNats, tmp_path: Path
) -> None:
    registry = kernel(secure_nats, tmp_path, "registry")
    subscription = Subscription(
        name="inspection-registry", context="registry", subjects=["ccc.registry.>"],
        handler=projection_handler(), max_deliver=1,
    )  # fmt: skip
    inspection = kernel(
        secure_nats, tmp_path, "inspection", subscriptions=[subscription],
        migrations=[create_projection],
    )  # fmt: skip
    await registry.start()
    await inspection.start()
    try:
        written = append_events(registry.store, "e-1", 3)
        poison = append_events(registry.store, "e-2", 1, note=FAIL_NOTE)
        runner = inspection.runners[0]
        await asyncio.wait_for(_until(lambda: runner.metrics.processed == 3), 15)
        await asyncio.wait_for(_until(lambda: runner.metrics.dead_lettered == 1), 15)
        assert read_projection(inspection.store.engine)["e-1"][0] == 3
        assert registry.relay is not None
        assert registry.relay.published == len(written) + len(poison)
        assert inspection.nc is not None
        letters = await inspection.nc.jetstream().stream_info(DEADLETTER_STREAM)
        assert letters.state.messages == 1, "the dead letter went to its own subject"
    finally:
        await inspection.stop()
        await registry.stop()


async def test_the_read_only_user_reads_but_cannot_publish(
    secure_nats: EmbeddedNats, tmp_path: Path, users: dict[str, Connection]
) -> None:
    registry = kernel(secure_nats, tmp_path, "registry")
    await registry.start()
    try:
        outside = users["outside"]
        live = await outside.nc.subscribe("ccc.registry.>")
        append_events(registry.store, "e-1", 2)
        await asyncio.wait_for(_until(lambda: registry.relay is not None
                                       and registry.relay.published == 2), 10)  # fmt: skip
        consumer = await outside.js.pull_subscribe(
            "ccc.registry.>", durable="outside-audit", stream=REGISTRY
        )
        fetched = await consumer.fetch(10, timeout=5)
        assert len(fetched) == 2
        for message in fetched:
            await message.ack()
        assert (await live.next_msg(timeout=5)).subject.startswith("ccc.registry.probe.e-1.")
        # an ephemeral consumer, read and deleted again, as the audit tool reads a stream
        config = ConsumerConfig(
            name="outside-audit-1", ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL,
            inactive_threshold=60.0,
        )  # fmt: skip
        ephemeral = await outside.js.pull_subscribe(
            "ccc.registry.>", stream=REGISTRY, config=config
        )
        pending = (await ephemeral.consumer_info()).num_pending
        assert pending == 2
        assert len(await ephemeral.fetch(2, timeout=5)) == 2
        name = (await ephemeral.consumer_info()).name
        await ephemeral.unsubscribe()
        assert await outside.js.delete_consumer(REGISTRY, name)
        info = await outside.js.stream_info(REGISTRY)
        assert info.state.messages == 2
        outside.errors.clear()
        await outside.nc.publish("ccc.registry.probe.e-9.SampleRecorded", b"{}")
        assert await outside.violations()
        assert await messages_in(outside, REGISTRY) == 2
        # the services' own consumers are not the outside system's to take over or delete
        outside.errors.clear()
        for subject in (
            f"$JS.API.CONSUMER.DELETE.{REGISTRY}.inspection-registry",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{REGISTRY}.inspection-registry",
            f"$JS.API.STREAM.DELETE.{REGISTRY}",
        ):
            with pytest.raises(nats.errors.TimeoutError):
                await outside.nc.request(subject, b"{}", timeout=0.3)
        assert len(await outside.violations()) >= 3
    finally:
        await registry.stop()


async def test_a_consumer_of_someone_elses_durable_name_is_refused_to_a_service(
    secure_nats: EmbeddedNats, tmp_path: Path, users: dict[str, Connection]
) -> None:
    registry = kernel(secure_nats, tmp_path, "registry")
    await registry.start()
    try:
        enforcement = users["enforcement"]  # reads inspection's stream, not the registry's
        with pytest.raises(asyncio.TimeoutError):
            await enforcement.js.add_consumer(
                REGISTRY, ConsumerConfig(durable_name="enforcement-spy"), timeout=0.5
            )
        assert await enforcement.violations()
        with pytest.raises(NotFoundError):
            await users["outside"].js.consumer_info(REGISTRY, "enforcement-spy")
    finally:
        await registry.stop()


async def _until(condition: Callable[[], bool]) -> None:
    """Return once ``condition()`` holds (callers bound the wait with ``wait_for``)."""
    while True:
        if condition():
            return
        await asyncio.sleep(0.05)


async def test_the_embedded_server_keeps_its_passwords_across_restarts(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats", secure=True)
    try:
        server.start()
        before = server.credentials("inspection")
        environment = server.environment_for("inspection", "INSPECTION_")
        assert environment == {
            "INSPECTION_NATS_USER": before[0],
            "INSPECTION_NATS_PASSWORD": before[1],
        }
        server.restart()
        assert server.credentials("inspection") == before
        connection = await connect_as(server, "inspection")
        await connection.nc.close()
        assert oct((tmp_path / "nats" / "credentials.json").stat().st_mode & 0o777) == "0o600"
    finally:
        server.cleanup()


def test_settings_give_the_kernel_its_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    class InspectionSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="INSPECTION_")

    assert ServiceSettings().nats_connect_options() == {}
    monkeypatch.setenv("NATS_USER", "inspection")
    monkeypatch.setenv("NATS_PASSWORD", "pw")
    options = InspectionSettings().nats_connect_options()
    assert options == {"user": "inspection", "password": "pw", "inbox_prefix": "_INBOX_inspection"}
    assert "pw" not in repr(InspectionSettings()), "the password stays out of logs"
    monkeypatch.setenv("INSPECTION_NATS_CREDS", "/run/secrets/inspection.creds")
    options = InspectionSettings().nats_connect_options()
    assert options["user_credentials"] == "/run/secrets/inspection.creds"


def test_a_subscription_the_table_does_not_cover_is_named() -> None:
    assert uncovered_subscriptions("inspection", [("inspection-registry", "registry")]) == []
    assert uncovered_subscriptions(
        "enforcement", [("enforcement-inspection", "inspection"), ("enforcement-x", "registry")]
    ) == ["enforcement-x on CCC_REGISTRY"]


async def test_a_push_consumer_aimed_at_another_stream_writes_nothing_into_it(
    secure_nats: EmbeddedNats, tmp_path: Path, users: dict[str, Connection]
) -> None:
    """Pinned (nats-server 2.15): an outside user cannot turn a push consumer on one stream into
    a publisher into another (deliver subject inside ccc.inspection.>), even with interest."""
    registry = kernel(secure_nats, tmp_path, "registry")
    inspection = kernel(secure_nats, tmp_path, "inspection")
    await registry.start()
    await inspection.start()
    try:
        append_events(registry.store, "e-1", 2)
        await asyncio.wait_for(
            _until(lambda: registry.relay is not None and registry.relay.published == 2), 10
        )
        outside = users["outside"]
        interest = await outside.nc.subscribe("ccc.inspection.>")
        forged = "ccc.inspection.inspection.i-1.Forged"
        await outside.js.add_consumer(
            REGISTRY, ConsumerConfig(durable_name="outside-push", deliver_subject=forged)
        )
        control = await outside.nc.subscribe(f"{inbox_prefix('outside')}.push")
        await outside.js.add_consumer(
            REGISTRY,
            ConsumerConfig(durable_name="outside-inbox", deliver_subject=control.subject),
        )
        await asyncio.wait_for(_until(lambda: control.pending_msgs == 2), 5)  # push works
        assert await messages_in(users["inspection"], INSPECTION) == 0
        assert interest.pending_msgs == 0
    finally:
        await inspection.stop()
        await registry.stop()


async def test_a_secure_start_refuses_streams_kept_by_an_open_server(tmp_path: Path) -> None:
    with EmbeddedNats(tmp_path / "nats") as open_server:  # a data folder from before the users
        client = await nats.connect(open_server.url)
        await client.jetstream().add_stream(name="CCC_REGISTRY", subjects=["ccc.registry.>"])
        await client.close()
    secure = EmbeddedNats(tmp_path / "nats", secure=True)
    with pytest.raises(EmbeddedNatsError, match=r"holds streams \(CCC_REGISTRY\)"):
        secure.start()
    assert not secure.running
    fresh = EmbeddedNats(tmp_path / "elsewhere" / "nats", secure=True)
    fresh.start()  # a new data folder starts
    fresh.stop()
