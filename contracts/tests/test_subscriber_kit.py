"""The kit's handling of what goes wrong: a failing handler, a tampered or malformed message.

On a real secured bus: a failing handler costs only its own event (retried until it works, the
rest of its batch committed); a message whose hash does not match, or that is no envelope at all,
is set aside and the consumer goes on.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from bus import secured_bus, until
from nats.aio.client import Client as NatsClient
from published import Bureau, Published, certificate, publish
from sqlalchemy import Column, Connection, MetaData, String, Table, insert, select

from ccc_contracts.envelope import StreamId
from ccc_contracts.registry import CertificateRegistered
from ccc_contracts.subscriber import Received, Subscriber
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.servers import connect_as

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]
tables = MetaData()
seen = Table("seen", tables, Column("certificate_number", String(64), primary_key=True))


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedNats, str, Bureau]]:
    server, passwords = secured_bus(tmp_path)
    bureau = Bureau(tmp_path)
    with server:
        yield server, passwords["cqc"], bureau
    bureau.close()


def subscriber(database_url: str, failures: dict[str, int]) -> Subscriber:
    """Records each certificate; fails ``failures[number]`` times on that one first."""
    kit = Subscriber("cqc", database_url=database_url, ack_wait=2.0, retry_delays=(0.1,))
    tables.create_all(kit.engine)

    @kit.handles(CertificateRegistered)
    def registered(event: Received[CertificateRegistered], conn: Connection) -> None:
        number = event.data.certificate_number
        if failures.get(number, 0) > 0:
            failures[number] -= 1
            raise RuntimeError(f"the warehouse of {number} is down")
        conn.execute(insert(seen).values(certificate_number=number))

    return kit


def numbers_seen(kit: Subscriber) -> list[str]:
    with kit.engine.connect() as conn:
        return sorted(conn.execute(select(seen.c.certificate_number)).scalars())


async def test_a_failing_handler_costs_only_its_event_which_comes_back_until_handled(
    bus: tuple[EmbeddedNats, str, Bureau], database_url: str
) -> None:
    server, password, bureau = bus
    numbers = [f"20260109000003{index:02d}" for index in range(6)]
    events = [
        event
        for number in numbers
        for event in bureau.record("registry", StreamId("certificate", number), certificate(number))
    ]
    async with registry_service(server) as registry:
        await publish(registry, "registry", events)
    failures = {numbers[2]: 2}
    kit = subscriber(database_url, failures)
    async with kit.running(server.url, user="cqc", password=password):
        await until(lambda: len(numbers_seen(kit)) == 5, "the five others handled")
        await until(lambda: numbers_seen(kit) == numbers, "the failing one handled at last")
    assert failures == {numbers[2]: 0}
    assert kit.handled_count() == 6


async def test_a_tampered_or_malformed_message_is_set_aside_and_the_consumer_goes_on(
    bus: tuple[EmbeddedNats, str, Bureau], database_url: str
) -> None:
    server, password, bureau = bus
    good, forged_number, last = "2026010900000401", "2026010900000402", "2026010900000403"
    (first,) = bureau.record("registry", StreamId("certificate", good), certificate(good))
    (original,) = bureau.record(
        "registry", StreamId("certificate", forged_number), certificate(forged_number)
    )
    body = json.loads(original.body)
    body["data"]["certification_body"] = "FORGED"  # changed after it was hashed
    forged = Published(original.event_id, original.subject, json.dumps(body, ensure_ascii=False))
    garbage = Published(
        "01937a00-0000-7000-8000-0000000000ff",
        "ccc.registry.certificate.2026010900000409.CertificateRegistered",
        "{not json",
    )
    (after,) = bureau.record("registry", StreamId("certificate", last), certificate(last))
    async with registry_service(server) as registry:
        await publish(registry, "registry", [first, forged, garbage, after])
    kit = subscriber(database_url, {})
    async with kit.running(server.url, user="cqc", password=password):
        await until(lambda: kit.handled_count() == 2, "the two intact events handled")
    assert numbers_seen(kit) == [good, last]


@asynccontextmanager
async def registry_service(server: EmbeddedNats) -> AsyncIterator[NatsClient]:
    """The registry service's connection (its stream exists), closed at the end of the block."""
    client = await connect_as(server, "registry")
    await publish(client, "registry", [])
    try:
        yield client
    finally:
        await client.close()
