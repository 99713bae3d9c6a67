"""Support for the auditors' tool tests (no tests here): the registry and inspection on real NATS.

A certificate is registered and suspended through the registry's HTTP API; the inspection
service reacts with a surprise inspection, so the enterprise's events sit on two streams and
in two stores. Each service gets its own database of the kind under test.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from ccc_audit.cli import main
from ccc_contracts.base import EventData
from ccc_contracts.credit_code import check_character
from ccc_contracts.envelope import Actor, RecordedEvent, new_event_id, utcnow
from ccc_contracts.registry import CertificateRegistered, CertificateSuspended
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import ensure_stream, event_stream
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.harness import eventually
from ccc_shared.testing.servers import another_database
from enterprise_registry.main import Settings as RegistrySettings
from enterprise_registry.main import create_app as registry_app
from inspection.main import Settings as InspectionSettings
from inspection.main import create_app as inspection_app

HOLDER = "91330100MA00050076"  # the holder of the hand-made certificate events
ACTOR = actor_headers("admin", user_id="registrar-7", name="王登记")
_serial = itertools.count(1)


def credit_code() -> str:
    """A fresh, valid unified social credit code (GB 32100-2015)."""
    body = f"91330100MA{next(_serial) + 5000:07d}"
    return body + check_character(body)


@dataclass
class Lifecycle:
    """Two running services, their databases, and what the test did through them."""

    nats_url: str
    registry_url: str
    inspection_url: str
    registry: FastAPI
    inspection: FastAPI
    http: httpx.AsyncClient
    nc: NatsClient
    enterprise: str
    certificate: str
    other_enterprise: str

    def store(self, app: FastAPI) -> SqlEventStore:
        """A service's event store."""
        store: SqlEventStore = app.state.kernel.store
        return store

    async def eventually(self, check: Callable[[], Any], within: float = 20.0) -> Any:
        """Poll a sync or async check until it returns something truthy."""
        return await eventually(check, within, every=0.1)

    async def published(self, stream: str) -> int:
        """How many messages a stream holds."""
        return int((await self.nc.jetstream().stream_info(stream)).state.messages)

    async def settled(self) -> None:
        """Wait until both outboxes are empty (everything decided is on the streams)."""
        for app in (self.registry, self.inspection):
            store = self.store(app)
            await self.eventually(lambda s=store: s.outbox_size() == 0)  # type: ignore[misc]


async def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``ccc-audit`` in a worker thread (it runs its own event loop); status and output."""
    capsys.readouterr()
    status = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def enterprise_body(code: str, name: str) -> dict[str, Any]:
    """A small catalogue enterprise in the jurisdiction."""
    return {
        "credit_code": code, "name": name, "address": "杭州市西湖区文三路1号",
        "region": "西湖区", "scale": "small", "legal_representative": "张伟",
        "contact": "0571-88000000", "in_jurisdiction": True, "product_categories": ["1812"],
    }  # fmt: skip


def certificate_body(number: str, holder: str) -> dict[str, Any]:
    """A fire extinguisher certificate issued a year ago."""
    return {
        "number": number, "holder_credit_code": holder, "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂", "product_category": "1812", "models": ["MFZ/ABC4"],
        "certification_body": "CCCF",
        "issued_on": (date.today() - timedelta(days=365)).isoformat(),
    }  # fmt: skip


CCCF = {"code": "CCCF", "name": "中国消防产品合格评定中心",
        "accreditation_number": "CNCA-R-2002-017", "contact": "010-58812800"}  # fmt: skip


async def command(
    http: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str] = ACTOR
) -> None:
    """POST a command to the registry, asserting it was accepted."""
    response = await http.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text


@asynccontextmanager
async def lifecycle(database_url: str, nats_url: str, tmp_path: Path) -> AsyncIterator[Lifecycle]:
    """Registry and inspection running; one certificate registered, suspended and reacted to."""
    with another_database(database_url, tmp_path, "inspection") as inspection_url:
        registry = registry_app(
            RegistrySettings(database_url=database_url, nats_url=nats_url, data_dir=tmp_path)
        )
        inspection = inspection_app(
            InspectionSettings(database_url=inspection_url, nats_url=nats_url, data_dir=tmp_path)
        )
        nc = await nats.connect(nats_url)
        transport = httpx.ASGITransport(app=registry)
        async with (
            registry.router.lifespan_context(registry),
            inspection.router.lifespan_context(inspection),
            httpx.AsyncClient(transport=transport, base_url="http://registry") as http,
        ):
            code, other, number = credit_code(), credit_code(), f"2026010901{next(_serial):06d}"
            run = Lifecycle(
                nats_url, database_url, inspection_url, registry, inspection, http, nc,
                code, number, other,
            )  # fmt: skip
            await command(http, "/enterprises", enterprise_body(code, "浙江消防器材有限公司"))
            await command(http, "/enterprises", enterprise_body(other, "杭州安全设备厂"))
            await command(http, "/certification-bodies", CCCF)
            await command(http, "/certificates", certificate_body(number, code))
            suspension = {"reason_code": "follow_up_refused_or_failed", "reason": "拒绝跟踪检查"}
            await command(http, f"/certificates/{number}/suspend", suspension)
            await run.eventually(lambda: _scheduled(run))
            await run.settled()
            yield run
        await nc.close()


async def _scheduled(run: Lifecycle) -> bool:
    """Whether the inspection service has published its surprise inspection."""
    try:
        return await run.published("CCC_INSPECTION") > 0
    except Exception:
        return False


def certificate_event(number: str, data: EventData) -> RecordedEvent:
    """A certificate event as the registry publishes it."""
    now = utcnow()
    return RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, "certificate", number, 1,
        now, now, Actor(id="registrar-7", role="admin"), str(new_event_id()), None,
        "enterprise-registry", data, "0" * 64, "0" * 64,
    )  # fmt: skip


def registered(number: str) -> RecordedEvent:
    """A fire extinguisher certificate entering the register."""
    data = CertificateRegistered(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body="CCCF", article="Order 117 art 19", effective_on=date(2026, 1, 9),
        reason_code="issued", manufacturer="浙江消防器材有限公司", factory="杭州工厂",
        models=["MFZ/ABC4"], issued_on=date(2026, 1, 9), expires_on=date(2031, 1, 8),
    )  # fmt: skip
    return certificate_event(number, data)


def suspended(number: str) -> RecordedEvent:
    """That certificate suspended (art 27)."""
    data = CertificateSuspended(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body="CCCF", article="Order 117 art 27", effective_on=date(2026, 11, 27),
        reason_code="follow_up_refused_or_failed",
    )  # fmt: skip
    return certificate_event(number, data)


async def publish(url: str, *events: RecordedEvent, user: str = "", password: str = "") -> None:
    """Publish events on CCC_REGISTRY as the relay does (message id = event id)."""
    secured = {"user": user, "password": password, "inbox_prefix": f"_INBOX_{user}"}
    nc = await nats.connect(url, **(secured if user else {}))
    js = nc.jetstream()
    await ensure_stream(js, event_stream("registry"))
    for event in events:
        await js.publish(
            event.subject("registry"), event.to_json(), headers={"Nats-Msg-Id": event.event_id}
        )
    await nc.close()
