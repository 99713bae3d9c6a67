"""An account per outside subscriber, on a real nats-server with the generated permissions.

A subscriber reads the streams granted to it through consumers bearing its own name; it cannot
read another stream, touch another subscriber's consumer or a service's, and a revoked account
stops working at the server's reload. ``ccc-admin`` refuses bad names and grants, changing nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig

from ccc_shared.messaging import ensure_stream, event_stream
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.nats_permissions import inbox_prefix
from ccc_shared.runtime.subscriber_accounts import add, load, main, revoke
from ccc_shared.testing.servers import connect_as

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]
REGISTRY, INSPECTION = "CCC_REGISTRY", "CCC_INSPECTION"
API = "$JS.API.CONSUMER"


class Account:
    """A subscriber's connection, with the permission errors the server sent it."""

    def __init__(self, client: NatsClient, errors: list[str]) -> None:
        self.client, self.errors = client, errors

    async def refused(self, subject: str, body: dict[str, object] | None = None) -> None:
        """The server reports the request as a permissions violation and never answers it."""
        answers = await self.client.subscribe(self.client.new_inbox())
        await self.client.publish(subject, json.dumps(body or {}).encode(), reply=answers.subject)
        expected = f'nats: permissions violation for publish to "{subject.lower()}"'
        for _ in range(200):  # bounded: 10 s
            if expected in self.errors:
                break
            await asyncio.sleep(0.05)
        assert expected in self.errors, self.errors
        await self.client.flush()
        assert answers.pending_msgs == 0, "refused, yet answered"
        await answers.unsubscribe()


@pytest.fixture
def table(tmp_path: Path) -> Path:
    return tmp_path / "subscribers.toml"


@pytest.fixture
def passwords(table: Path) -> dict[str, str]:
    return {
        "warehouse": add(table, "warehouse", ["registry"], granted_by="admin-1"),
        "cccf": add(table, "cccf", ["registry", "inspection"], granted_by="admin-1"),
    }


@pytest.fixture
def server(tmp_path: Path, table: Path, passwords: dict[str, str]) -> Iterator[EmbeddedNats]:
    with EmbeddedNats(tmp_path / "nats", secure=True, subscribers_table=table) as running:
        yield running


async def connect(server: EmbeddedNats, name: str, password: str, **options: object) -> Account:
    errors: list[str] = []

    async def collect(error: Exception) -> None:
        errors.append(str(error).lower())

    client = await nats.connect(
        server.url, user=name, password=password, inbox_prefix=inbox_prefix(name),
        error_cb=collect, **options,  # type: ignore[arg-type]
    )  # fmt: skip
    return Account(client, errors)


@pytest.fixture
async def bus(server: EmbeddedNats) -> AsyncIterator[dict[str, NatsClient]]:
    """The services' streams, a durable of inspection's and one of cccf's on the registry's."""
    services = {user: await connect_as(server, user) for user in ("registry", "inspection")}
    await ensure_stream(services["registry"].jetstream(), event_stream("registry"))
    await ensure_stream(services["inspection"].jetstream(), event_stream("inspection"))
    await services["registry"].jetstream().publish("ccc.registry.certificate.1.Registered", b"{}")
    await (
        services["inspection"]
        .jetstream()
        .add_consumer(REGISTRY, ConsumerConfig(durable_name="inspection-registry"))
    )
    yield services
    for client in services.values():
        await client.close()


async def test_a_subscriber_reads_its_granted_stream_through_its_own_consumer(
    server: EmbeddedNats, passwords: dict[str, str], bus: dict[str, NatsClient]
) -> None:
    warehouse = await connect(server, "warehouse", passwords["warehouse"])
    js = warehouse.client.jetstream()
    consumer = await js.pull_subscribe(
        "", durable="warehouse", stream=REGISTRY,
        config=ConsumerConfig(filter_subjects=["ccc.registry.certificate.>"]),
    )  # fmt: skip
    (message,) = await consumer.fetch(1, timeout=5)
    await message.ack_sync()
    assert message.subject == "ccc.registry.certificate.1.Registered"
    await warehouse.client.close()


async def test_a_subscriber_cannot_read_a_stream_it_was_not_granted(
    server: EmbeddedNats, passwords: dict[str, str], bus: dict[str, NatsClient]
) -> None:
    warehouse = await connect(server, "warehouse", passwords["warehouse"])
    await warehouse.refused(f"$JS.API.STREAM.INFO.{INSPECTION}")
    await warehouse.refused(f"{API}.CREATE.{INSPECTION}.warehouse", {"stream_name": INSPECTION})
    await warehouse.refused(f"$JS.API.STREAM.MSG.GET.{INSPECTION}", {"seq": 1})
    await warehouse.refused(f"$JS.API.DIRECT.GET.{INSPECTION}", {"seq": 1})
    await warehouse.client.close()


async def test_a_subscriber_cannot_touch_another_subscribers_or_a_services_consumer(
    server: EmbeddedNats, passwords: dict[str, str], bus: dict[str, NatsClient]
) -> None:
    cccf = await connect(server, "cccf", passwords["cccf"])
    await cccf.client.jetstream().add_consumer(REGISTRY, ConsumerConfig(durable_name="cccf"))
    warehouse = await connect(server, "warehouse", passwords["warehouse"])
    for other in ("cccf", "inspection-registry"):
        await warehouse.refused(f"{API}.INFO.{REGISTRY}.{other}")
        await warehouse.refused(f"{API}.MSG.NEXT.{REGISTRY}.{other}", {"batch": 1})
        await warehouse.refused(f"{API}.DELETE.{REGISTRY}.{other}")
        await warehouse.refused(f"{API}.CREATE.{REGISTRY}.{other}", {"stream_name": REGISTRY})
        await warehouse.refused(f"$JS.ACK.{REGISTRY}.{other}.1.1.1.0.0")
    await warehouse.refused(f"{API}.CREATE.{REGISTRY}", {"stream_name": REGISTRY})  # nameless
    await warehouse.refused(f"{API}.CREATE.{REGISTRY}.warehouse2", {"stream_name": REGISTRY})
    await warehouse.refused("ccc.registry.certificate.1.Registered")  # publishes nothing
    still = await bus["inspection"].jetstream().consumer_info(REGISTRY, "inspection-registry")
    assert still.config.durable_name == "inspection-registry"
    assert (await cccf.client.jetstream().consumer_info(REGISTRY, "cccf")).name == "cccf"
    for account in (cccf, warehouse):
        await account.client.close()


async def test_a_revoked_subscriber_stops_working_at_the_reload(
    server: EmbeddedNats, table: Path, passwords: dict[str, str], bus: dict[str, NatsClient]
) -> None:
    warehouse = await connect(server, "warehouse", passwords["warehouse"], allow_reconnect=False)
    await warehouse.client.jetstream().stream_info(REGISTRY)
    revoke(table, "warehouse")
    server.reload()
    for _ in range(200):  # bounded: 10 s
        if warehouse.client.is_closed:
            break
        await asyncio.sleep(0.05)
    assert warehouse.client.is_closed, "the revoked subscriber's connection was left open"
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(
            server.url, user="warehouse", password=passwords["warehouse"],
            max_reconnect_attempts=0, allow_reconnect=False,
        )  # fmt: skip
    cccf = await connect(server, "cccf", passwords["cccf"])  # the others keep working
    await cccf.client.jetstream().stream_info(REGISTRY)
    await cccf.client.close()


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["add", "Warehouse", "--grant", "registry"], "lowercase letters"),
        (["add", "registry", "--grant", "registry"], "already uses"),
        (["add", "inspection-registry", "--grant", "registry"], "already uses"),
        (["add", "outside", "--grant", "registry"], "already uses"),
        (["add", "cccf", "--grant", "registry"], "exists"),
        (["revoke", "nobody"], "no subscriber"),
    ],
)
def test_the_admin_command_refuses_bad_accounts_and_changes_nothing(
    table: Path,
    passwords: dict[str, str],
    arguments: list[str],
    complaint: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = table.read_text()
    assert main(["subscribers", "--table", str(table), *arguments]) == 2
    assert complaint in capsys.readouterr().err
    assert table.read_text() == before


def test_the_admin_command_adds_lists_and_revokes_and_regenerates_accounts_conf(
    table: Path, passwords: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["subscribers", "--table", str(table), "add", "cnca", "--grant", "enforcement",
                 "--by", "admin-1", "--note", "国家认监委"]) == 0  # fmt: skip
    password = capsys.readouterr().out.split("password ")[1].split()[0]
    (cnca,) = [account for account in load(table) if account.name == "cnca"]
    assert cnca.streams == ["CCC_ENFORCEMENT"]
    assert password not in table.read_text()  # only its bcrypt hash is kept
    conf = (table.parent / "accounts.conf").read_text()
    assert '"user": "cnca"' in conf or 'user: "cnca"' in conf
    assert "$JS.API.CONSUMER.MSG.NEXT.CCC_ENFORCEMENT.cnca" in conf
    main(["subscribers", "--table", str(table), "list"])
    assert "cnca\tCCC_ENFORCEMENT\tadmin-1" in capsys.readouterr().out
    assert main(["subscribers", "--table", str(table), "revoke", "cnca"]) == 0
    assert "cnca" not in (table.parent / "accounts.conf").read_text()
