"""The two worked subscribers of docs/examples on a real secured bus, each as its own account.

Events are appended to real event stores and published with their real hashes; the subscribers
replay from the first event, are stopped mid-stream and resumed, read version 1 events through
their upcasters, skip event types they do not know and handle a redelivered event once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import nats
import pytest
from bus import ROOT, example, secured_bus, until
from nats.aio.client import Client as NatsClient
from published import (
    Bureau,
    Published,
    certificate,
    publish,
    revocation,
    suspension,
    violation,
)
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from ccc_contracts.enforcement import CaseClosed, CaseOpenedV1
from ccc_contracts.envelope import StreamId
from ccc_contracts.subscriber import Subscriber
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.servers import connect_as, fresh_postgres_database

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]
WAREHOUSE = example("warehouse")
CERTIFICATION_BODY = example("certification_body")


@dataclass
class Bus:
    server: EmbeddedNats
    passwords: dict[str, str]
    bureau: Bureau
    services: dict[str, NatsClient]

    async def publish(self, context: str, events: list[Published]) -> None:
        await publish(self.services[context], context, events)


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[Bus]:
    server, passwords = secured_bus(tmp_path)
    bureau = Bureau(tmp_path)
    with server:
        services = {
            context: await connect_as(server, context)
            for context in ("registry", "inspection", "enforcement")
        }
        for context, client in services.items():
            await publish(client, context, [])  # the streams exist, as once the services ran
        yield Bus(server, passwords, bureau, services)
        for client in services.values():
            await client.close()
    bureau.close()


@pytest.fixture
def warehouse_url(postgres_admin_engine: Any) -> Iterator[str]:
    with fresh_postgres_database(postgres_admin_engine) as url:
        yield url


def certificates(bureau: Bureau, count: int, start: int = 0) -> list[Published]:
    """``count`` certificates registered, every other one then suspended."""
    events: list[Published] = []
    for index in range(start, start + count):
        number = f"20260109{index:08d}"
        changes = [certificate(number)] + ([suspension(number)] if index % 2 else [])
        events += bureau.record("registry", StreamId("certificate", number), *changes)
    return events


def unknown_certificate_event(number: str) -> Published:
    """An event type a newer bureau publishes that this ccc-contracts version does not know."""
    body = {
        "event_id": "01937a00-0000-7000-8000-000000000001", "event_type": "CertificateTransferred",
        "schema_version": 1, "aggregate_type": "certificate", "aggregate_id": number,
        "version": 9, "occurred_at": "2026-12-01T08:00:00+00:00",
        "recorded_at": "2026-12-01T08:00:00+00:00", "actor": {"id": "a", "role": "admin"},
        "correlation_id": "01937a00-0000-7000-8000-000000000002", "causation_id": None,
        "source": "enterprise-registry", "data": {"to": "someone"},
        "hash": "0" * 64, "prev_hash": "0" * 64,
    }  # fmt: skip
    return Published(
        str(body["event_id"]),
        f"ccc.registry.certificate.{number}.CertificateTransferred",
        json.dumps(body),
    )


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


async def test_the_warehouse_replays_stops_mid_stream_and_resumes_without_gap_or_repeat(
    bus: Bus, warehouse_url: str
) -> None:
    first = certificates(bus.bureau, 30)
    await bus.publish("registry", first)
    batches: list[int] = []
    gate = threading.Event()

    def slow_batches(ids: list[str]) -> None:  # lets the test stop it part way
        batches.append(len(ids))
        gate.wait(0.1)

    password = bus.passwords["warehouse"]
    options = {"batch_size": 5, "ack_wait": 1.0, "after_commit": slow_batches}
    warehouse: Subscriber = WAREHOUSE.build(warehouse_url, **options)
    async with warehouse.running(bus.server.url, user="warehouse", password=password):
        await until(lambda: warehouse.handled_count() >= 10, "the warehouse handled 10 events")
    stopped_at = warehouse.handled_count()
    assert 10 <= stopped_at < len(first), "stopped mid-stream"

    # while it is down: more certificates, one type it does not know, cases (one of version 1)
    later = certificates(bus.bureau, 4, start=30)
    await bus.publish("registry", [*later, unknown_certificate_event("2026010900000001")])
    opened_v1 = CaseOpenedV1(
        case_number="2026-001", source="violation", violation_id="V-1", subject_kind="enterprise",
        subject_credit_code="91330100MA00050076", problem="certificate_invalid",
        opened_on=date(2026, 3, 2), register_decision_due_on=date(2026, 3, 9),
    )  # fmt: skip
    closed = CaseClosed(
        case_number="2026-001", subject_credit_code="91330100MA00050076", outcome="penalised",
        closed_on=date(2026, 5, 6), report_due_on=date(2026, 5, 26),
    )  # fmt: skip
    cases = bus.bureau.record("enforcement", StreamId("case", "2026-001"), opened_v1, closed)
    await bus.publish("enforcement", cases)
    assert json.loads(cases[0].body)["schema_version"] == 1

    gate.set()
    resumed: Subscriber = WAREHOUSE.build(warehouse_url, batch_size=5, ack_wait=1.0)
    total = len(first) + len(later) + len(cases)
    async with resumed.running(bus.server.url, user="warehouse", password=password):
        await until(lambda: resumed.handled_count() == total, f"the warehouse handled {total}")

    handled = rows(warehouse_url, "SELECT event_id FROM ccc_handled_events")
    expected = {event.event_id for event in [*first, *later, *cases]}
    assert {row[0] for row in handled} == expected  # no gap, the unknown type not among them
    assert len(handled) == total  # and no repeat
    status = dict(rows(warehouse_url, "SELECT certificate_number, status FROM certificates"))
    assert len(status) == 34
    assert status["2026010900000001"] == "suspended"
    assert status["2026010900000032"] == "valid"
    (case,) = rows(warehouse_url, "SELECT found_on, opened_on, closed_on, outcome FROM cases")
    # version 1 arrives upcast: the clue was found the day it was entered
    assert case == (date(2026, 3, 2), date(2026, 3, 2), date(2026, 5, 6), "penalised")


async def test_the_warehouse_applies_a_revocation_once_however_often_it_is_delivered(
    bus: Bus, warehouse_url: str
) -> None:
    number = "2026010900000077"
    events = bus.bureau.record(
        "registry", StreamId("certificate", number), certificate(number), revocation(number)
    )
    await bus.publish("registry", events)
    crashes = [1]

    def crash_once_after_commit(ids: list[str]) -> None:
        """As if the process died between its commit and its acks: the batch comes back."""
        if crashes:
            crashes.pop()
            raise RuntimeError("killed after commit")

    password = bus.passwords["warehouse"]
    warehouse: Subscriber = WAREHOUSE.build(
        warehouse_url, ack_wait=1.0, retry_delays=(0.1,), after_commit=crash_once_after_commit
    )
    async with warehouse.running(bus.server.url, user="warehouse", password=password):
        await until(lambda: not crashes, "the first delivery was handled")
        await until(lambda: warehouse.handled_count() == 2, "both events handled")
        account = await nats.connect(
            bus.server.url, user="warehouse", password=password, inbox_prefix="_INBOX_warehouse"
        )
        js = account.jetstream()

        async def settled() -> bool:
            info = await js.consumer_info("CCC_REGISTRY", "warehouse")
            return info.num_ack_pending == 0 and info.ack_floor.stream_seq == 2

        for _ in range(100):
            if await settled():
                break
            await asyncio.sleep(0.05)
        info = await js.consumer_info("CCC_REGISTRY", "warehouse")
        await account.close()
    assert info.delivered.consumer_seq >= 4  # each of the two delivered twice (or more)
    assert info.num_ack_pending == 0
    assert rows(warehouse_url, "SELECT status FROM certificates") == [("revoked",)]
    assert len(rows(warehouse_url, "SELECT * FROM ccc_handled_events")) == 2


async def test_the_certification_body_records_violations_against_its_certificates_once(
    bus: Bus, database_url: str
) -> None:
    """On SQLite and PostgreSQL: its own certificates only, version 1 upcast, redelivery once."""
    ours, theirs = "2026010900000101", "2026010900000102"
    registered = bus.bureau.record("registry", StreamId("certificate", ours), certificate(ours))
    other = certificate(theirs).model_copy(update={"certification_body": "CQC"})
    registered += bus.bureau.record("registry", StreamId("certificate", theirs), other)
    await bus.publish("registry", registered)
    findings = bus.bureau.record(
        "inspection", StreamId("inspection", "INS-1"),
        violation("V-1", ours, v1=True), violation("V-2", theirs), violation("V-3", ours),
    )  # fmt: skip
    await bus.publish("inspection", findings[:1])
    crashes = [1]

    def crash_once_after_commit(ids: list[str]) -> None:
        if crashes and findings[0].event_id in ids:
            crashes.pop()
            raise RuntimeError("killed after commit")

    password = bus.passwords["cccf"]
    body: Subscriber = CERTIFICATION_BODY.build(
        "CCCF", "cccf", database_url, ack_wait=1.0, retry_delays=(0.1,),
        after_commit=crash_once_after_commit,
    )  # fmt: skip
    async with body.running(bus.server.url, user="cccf", password=password):
        await until(lambda: body.handled_count() == 3 and not crashes, "V-1 handled")
    # stopped; inspection goes on, and publishes a type no subscriber was told about
    photographed = unknown_certificate_event("2026010900000101")
    photographed = Published(
        photographed.event_id,
        "ccc.inspection.inspection.INS-1.InspectionPhotographed",
        photographed.body.replace("CertificateTransferred", "InspectionPhotographed"),
    )
    await bus.publish("inspection", [findings[1], photographed, findings[2]])
    resumed: Subscriber = CERTIFICATION_BODY.build("CCCF", "cccf", database_url, ack_wait=1.0)
    async with resumed.running(bus.server.url, user="cccf", password=password):
        await until(lambda: resumed.handled_count() == 5, "all five events handled")

    with resumed.engine.connect() as conn:
        found = CERTIFICATION_BODY.violations_against(conn)
    assert found == [("V-1", ours, None, "registrar-7"), ("V-3", ours, None, "registrar-7")]
    assert len(rows(database_url, "SELECT event_id FROM ccc_handled_events")) == 5


async def test_the_certification_body_runs_as_a_process_and_stops_on_sigterm(
    bus: Bus, tmp_path: Path
) -> None:
    number = "2026010900000201"
    await bus.publish(
        "registry",
        bus.bureau.record("registry", StreamId("certificate", number), certificate(number)),
    )
    await bus.publish(
        "inspection", bus.bureau.record("inspection", StreamId("inspection", "INS-2"),
                                        violation("V-9", number))
    )  # fmt: skip
    database = f"sqlite:///{tmp_path / 'cccf.db'}"
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for below
        [sys.executable, str(ROOT / "docs" / "examples" / "certification_body.py"),
         "--nats", bus.server.url, "--body", "CCCF", "--user", "cccf", "--database", database],
        env={**os.environ, "NATS_PASSWORD": bus.passwords["cccf"]},
    )  # fmt: skip
    try:
        engine = create_engine(database)

        def recorded() -> bool:
            try:
                with engine.connect() as conn:
                    return bool(CERTIFICATION_BODY.violations_against(conn))
            except OperationalError:  # its tables are not there yet
                return False

        await until(recorded, "the process recorded the violation", seconds=60)
        engine.dispose()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


async def test_the_certification_body_runs_as_a_faststream_app(bus: Bus, tmp_path: Path) -> None:
    """``Subscriber.app``: what ``faststream run`` would start and stop."""
    number = "2026010900000301"
    registered = bus.bureau.record("registry", StreamId("certificate", number), certificate(number))
    await bus.publish("registry", registered)
    body: Subscriber = CERTIFICATION_BODY.build("CCCF", "cccf", f"sqlite:///{tmp_path / 'c.db'}")
    app = body.app(bus.server.url, user="cccf", password=bus.passwords["cccf"])
    running = asyncio.create_task(app.run())
    await until(lambda: body.handled_count() == 1, "the app handled the registration")
    app.exit()
    await asyncio.wait_for(running, 20)
