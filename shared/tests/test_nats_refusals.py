"""Every refused attempt of issue 14, against a real nats-server with the generated config.

The attempts the experiments found allowed: the read-only user rewriting a service's durable
through the legacy consumer API, and a service updating streams it only reads (or the shared
dead-letter stream). Each is tried here and must change nothing; the owners' own calls still work.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import nats
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig

from ccc_shared.messaging import DEADLETTER_STREAM, deadletter_stream, ensure_stream, event_stream
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.nats_permissions import OPERATOR, inbox_prefix

REGISTRY, INSPECTION = "CCC_REGISTRY", "CCC_INSPECTION"
DURABLE = "inspection-registry"  # inspection's durable on the registry's stream


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedNats]:
    with EmbeddedNats(tmp_path_factory.mktemp("bus") / "nats", secure=True) as running:
        yield running


VIOLATIONS: dict[int, list[str]] = {}  # per client: the errors the server sent it


async def connect_as(server: EmbeddedNats, user: str) -> NatsClient:
    name, password = server.credentials(user)
    errors: list[str] = []

    async def collect(error: Exception) -> None:
        errors.append(str(error).lower())

    client = await nats.connect(
        server.url, user=name, password=password, inbox_prefix=inbox_prefix(user),
        max_reconnect_attempts=0, error_cb=collect,
    )  # fmt: skip
    VIOLATIONS[id(client)] = errors
    return client


@pytest.fixture
async def bus(server: EmbeddedNats) -> AsyncIterator[dict[str, NatsClient]]:
    """Each user connected; the registry's stream and inspection's durable on it exist."""
    users = ("registry", "inspection", "enforcement", "notification", "outside", OPERATOR)
    clients = {user: await connect_as(server, user) for user in users}
    await ensure_stream(clients["registry"].jetstream(), event_stream("registry"))
    await ensure_stream(clients["inspection"].jetstream(), event_stream("inspection"))
    await ensure_stream(clients[OPERATOR].jetstream(), deadletter_stream())
    await (
        clients["inspection"]
        .jetstream()
        .add_consumer(
            REGISTRY, ConsumerConfig(durable_name=DURABLE, filter_subject="ccc.registry.>")
        )
    )
    yield clients
    for client in clients.values():
        await client.close()


async def refused(client: NatsClient, subject: str, body: dict[str, object]) -> None:
    """The server reports the request as a permissions violation and never answers it."""
    answers = await client.subscribe(client.new_inbox())
    await client.publish(subject, json.dumps(body).encode(), reply=answers.subject)
    expected = f'nats: permissions violation for publish to "{subject.lower()}"'
    errors = VIOLATIONS[id(client)]
    for _ in range(200):  # bounded: 10 s
        if expected in errors:
            break
        await asyncio.sleep(0.05)
    assert expected in errors, errors
    errors.remove(expected)
    await client.flush()
    assert answers.pending_msgs == 0, "refused, yet answered"
    await answers.unsubscribe()


async def durable_config(bus: dict[str, NatsClient]) -> ConsumerConfig:
    info = await bus["inspection"].jetstream().consumer_info(REGISTRY, DURABLE)
    return info.config


def takeover(**config: object) -> dict[str, object]:
    """The body that rewrote a service's durable: headers only, so it could handle nothing."""
    base = {"ack_policy": "explicit", "headers_only": True, "filter_subject": "ccc.registry.>"}
    return {"stream_name": REGISTRY, "config": {**base, **config}}


async def test_outside_cannot_rewrite_a_services_durable_on_any_consumer_subject(
    bus: dict[str, NatsClient],
) -> None:
    outside = bus["outside"]
    api = "$JS.API.CONSUMER"
    # the legacy subject carries the name in the body only: nobody may use it
    await refused(outside, f"{api}.CREATE.{REGISTRY}", takeover(name=DURABLE))
    await refused(outside, f"{api}.CREATE.{REGISTRY}", takeover(durable_name=DURABLE))
    await refused(outside, f"{api}.CREATE.{REGISTRY}", takeover())  # even a nameless one
    await refused(outside, f"{api}.CREATE.{REGISTRY}.{DURABLE}", takeover(name=DURABLE))
    await refused(outside, f"{api}.CREATE.{REGISTRY}.{DURABLE}.ccc.registry.>",
                  takeover(name=DURABLE))  # fmt: skip
    await refused(outside, f"{api}.DURABLE.CREATE.{REGISTRY}.{DURABLE}",
                  takeover(durable_name=DURABLE))  # fmt: skip
    await refused(outside, f"{api}.DELETE.{REGISTRY}.{DURABLE}", {})
    await refused(outside, f"{api}.MSG.NEXT.{REGISTRY}.{DURABLE}", {"batch": 1})
    # an allowed subject naming its own consumer, with the service's name in the body
    js = outside.jetstream(timeout=1.0)
    answer = await outside.request(
        f"{api}.CREATE.{REGISTRY}.outside-x", json.dumps(takeover(name=DURABLE)).encode(), 1.0
    )
    assert json.loads(answer.data)["name"] == "outside-x", "the subject's name wins"
    answer = await outside.request(
        f"{api}.DURABLE.CREATE.{REGISTRY}.outside-y",
        json.dumps(takeover(durable_name=DURABLE)).encode(),
        1.0,
    )
    assert json.loads(answer.data).get("name") != DURABLE
    assert (await durable_config(bus)).headers_only is not True
    assert DURABLE in [c.name async for c in _consumers(js, REGISTRY)]
    # its own consumers, under its own name, it creates and deletes as before
    await js.add_consumer(REGISTRY, ConsumerConfig(name="outside-audit", durable_name=None))
    await js.add_consumer(REGISTRY, ConsumerConfig(durable_name="outside-feed"))
    assert await js.delete_consumer(REGISTRY, "outside-audit")
    assert await js.delete_consumer(REGISTRY, "outside-feed")


async def _consumers(js: object, stream: str) -> AsyncIterator[ConsumerConfig]:
    for info in await js.consumers_info(stream):  # type: ignore[attr-defined]
        yield info


async def test_no_service_creates_updates_or_deletes_another_services_durable(
    bus: dict[str, NatsClient],
) -> None:
    api = "$JS.API.CONSUMER"
    for user in ("registry", "enforcement", "notification"):
        client = bus[user]
        await refused(client, f"{api}.CREATE.{REGISTRY}", takeover(name=DURABLE))
        await refused(client, f"{api}.CREATE.{REGISTRY}.{DURABLE}", takeover(name=DURABLE))
        await refused(client, f"{api}.DURABLE.CREATE.{REGISTRY}.{DURABLE}",
                      takeover(durable_name=DURABLE))  # fmt: skip
        await refused(client, f"{api}.DELETE.{REGISTRY}.{DURABLE}", {})
    # notification's own durable subject on the same stream, with inspection's name in the body
    notification = bus["notification"]
    answer = await notification.request(
        f"{api}.DURABLE.CREATE.{REGISTRY}.notification-registry",
        json.dumps(takeover(durable_name=DURABLE)).encode(),
        1.0,
    )
    assert json.loads(answer.data).get("name") != DURABLE
    # inspection itself may not delete even its own durable (a service never deletes one)
    await refused(bus["inspection"], f"{api}.DELETE.{REGISTRY}.{DURABLE}", {})
    assert (await durable_config(bus)).headers_only is not True


async def test_a_service_updates_only_its_own_stream(bus: dict[str, NatsClient]) -> None:
    shrunk = {"name": REGISTRY, "subjects": ["ccc.registry.>"], "max_msgs": 1, "storage": "file"}
    for user in ("inspection", "notification", "outside"):
        await refused(bus[user], f"$JS.API.STREAM.UPDATE.{REGISTRY}", shrunk)
        await refused(bus[user], f"$JS.API.STREAM.DELETE.{REGISTRY}", {})
        await refused(bus[user], f"$JS.API.STREAM.PURGE.{REGISTRY}", {})
    letters = {"name": DEADLETTER_STREAM, "subjects": ["ccc.deadletter.>"], "max_msgs": 1}
    for user in ("registry", "inspection", "enforcement", "notification", "outside"):
        await refused(bus[user], f"$JS.API.STREAM.UPDATE.{DEADLETTER_STREAM}", letters)
        await refused(bus[user], f"$JS.API.STREAM.PURGE.{DEADLETTER_STREAM}", {})
    registry_js = bus["registry"].jetstream()
    assert (await registry_js.stream_info(REGISTRY)).config.max_msgs == -1
    assert (await registry_js.stream_info(DEADLETTER_STREAM)).config.max_msgs == -1
    # the owners: the registry its stream, the operator the dead letters
    await ensure_stream(registry_js, event_stream("registry"))
    operator_js = bus[OPERATOR].jetstream()
    await ensure_stream(operator_js, deadletter_stream())
    # a reader creates a missing stream it reads (same config), never changes an existing one
    await ensure_stream(bus["inspection"].jetstream(), event_stream("registry"), update=False)
    await refused(bus[OPERATOR], f"$JS.API.STREAM.UPDATE.{REGISTRY}", shrunk)  # nor the operator


async def test_services_only_append_to_the_dead_letter_stream(bus: dict[str, NatsClient]) -> None:
    inspection = bus["inspection"].jetstream(timeout=1.0)
    stored = await inspection.publish(
        f"ccc.deadletter.{DURABLE}.ccc.registry.x", b"{}", stream=DEADLETTER_STREAM
    )
    assert stored.stream == DEADLETTER_STREAM
    with pytest.raises(asyncio.TimeoutError):  # another consumer's letters are not its own
        await inspection.publish(
            "ccc.deadletter.notification-registry.ccc.registry.x", b"{}", timeout=0.5
        )
    with pytest.raises(asyncio.TimeoutError):  # nor may it ask for a re-drive
        await inspection.publish("ccc.redrive.notification-registry", b"{}", timeout=0.5)
    await refused(bus["inspection"], f"$JS.API.STREAM.MSG.DELETE.{DEADLETTER_STREAM}", {"seq": 1})
    operator = bus[OPERATOR].jetstream(timeout=1.0)
    letter = await operator.get_msg(DEADLETTER_STREAM, stored.seq)
    assert letter.subject == f"ccc.deadletter.{DURABLE}.ccc.registry.x"


def test_the_embedded_config_holds_bcrypt_hashes_not_passwords(server: EmbeddedNats) -> None:
    config = server.config_path.read_text()
    credentials = json.loads((server.data_dir / "credentials.json").read_text())
    assert sorted(credentials) == sorted(
        ["registry", "inspection", "enforcement", "notification", "outside", OPERATOR]
    )
    for password in credentials.values():
        assert password not in config
    assert config.count('password: "$2b$10$') == 6
    assert oct(server.config_path.stat().st_mode & 0o777) == "0o600"
    assert oct(server.data_dir.stat().st_mode & 0o777) == "0o700"
