"""The edges hold: every bad input is refused with a clear 4xx, appends nothing, and the next
good event still flows from the registry to the inspection service.

Both services run in this process on one private nats-server, each on its own database of
the kind under test; the registry keeps only events of at most 2,048 bytes, so an event the
bus could not carry is refused in the command's transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.harness import eventually, fresh_credit_code
from ccc_shared.testing.servers import another_database
from enterprise_registry.main import Settings as RegistrySettings
from enterprise_registry.main import create_app as registry_app
from inspection.main import Settings as InspectionSettings
from inspection.main import create_app as inspection_app

pytestmark = pytest.mark.integration
TODAY = date(2026, 3, 2)  # the bureau's day for both services (a Monday)

INSPECTOR = actor_headers("inspector")
HEAD = actor_headers("section_head")
AUDITOR = actor_headers("auditor")
CCCF = {"code": "CCCF", "name": "中国消防产品合格评定中心",
        "accreditation_number": "CNCA-R-2002-017", "contact": "010-58812800"}  # fmt: skip


@dataclass
class Bureau:
    """The registry and inspection services, and HTTP clients to each."""

    registry: FastAPI
    inspection: FastAPI
    to_registry: httpx.AsyncClient
    to_inspection: httpx.AsyncClient

    def registry_events(self) -> int:
        """How many events the registry's store holds."""
        store: SqlEventStore = self.registry.state.kernel.store
        with store.reading() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one())

    def inspection_events(self) -> int:
        """How many events the inspection service's store holds."""
        store: SqlEventStore = self.inspection.state.kernel.store
        with store.reading() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one())

    async def surprise_inspections(self, code: str) -> list[dict[str, Any]]:
        """The surprise inspections the inspection service scheduled for an enterprise."""
        response = await self.to_inspection.get(
            "/inspections", params={"enterprise": code}, headers=AUDITOR
        )
        assert response.status_code == 200, response.text
        return [i for i in response.json()["items"] if i["kind"] == "surprise"]


@pytest.fixture
async def bureau(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Bureau]:
    """Registry (events up to 2,048 bytes) and inspection on one bus, each its own database."""
    with another_database(database_url, tmp_path, "inspection") as inspection_url:
        registry = registry_app(
            RegistrySettings(
                database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path,
                max_event_bytes=2048,
            ),
            clock=lambda: TODAY,
        )  # fmt: skip
        inspection = inspection_app(
            InspectionSettings(
                database_url=inspection_url, nats_url=embedded_nats.url, data_dir=tmp_path
            ),
            clock=lambda: TODAY,
        )
        async with (
            registry.router.lifespan_context(registry),
            inspection.router.lifespan_context(inspection),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=registry), base_url="http://registry"
            ) as to_registry,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=inspection), base_url="http://inspection"
            ) as to_inspection,
        ):
            yield Bureau(registry, inspection, to_registry, to_inspection)


def enterprise(code: str, **changes: Any) -> dict[str, Any]:
    """A complete registration of a catalogue enterprise in the jurisdiction."""
    return {
        "credit_code": code, "name": "浙江消防器材有限公司", "address": "杭州市西湖区文三路1号",
        "region": "西湖区", "scale": "small", "legal_representative": "张伟",
        "contact": "0571-88000000", "in_jurisdiction": True, "product_categories": ["1812"],
        **changes,
    }  # fmt: skip


def certificate(number: str, holder: str, **changes: Any) -> dict[str, Any]:
    """A fire-extinguisher certificate issued a year ago by CCCF."""
    return {
        "number": number, "holder_credit_code": holder, "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂", "product_category": "1812", "models": ["MFZ/ABC4"],
        "certification_body": "CCCF",
        "issued_on": "2025-03-02", **changes,
    }  # fmt: skip


def fields_named(response: httpx.Response) -> list[str]:
    """The fields a 422 names (the last element of each error's location)."""
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


async def test_each_bad_input_is_refused_writes_nothing_and_the_next_event_still_flows(
    bureau: Bureau,
) -> None:
    registry = bureau.to_registry
    code, stranger = fresh_credit_code(), fresh_credit_code()
    assert (await registry.post("/certification-bodies", json=CCCF, headers=HEAD)).is_success
    assert (
        await registry.post("/enterprises", json=enterprise(code), headers=INSPECTOR)
    ).is_success
    registered = await registry.post("/certificates", json=certificate("CERT-E1", code),
                                     headers=INSPECTOR)  # fmt: skip
    assert registered.status_code == 201, registered.text
    before = bureau.registry_events()

    async def refused(path: str, body: dict[str, Any], status: int = 422) -> httpx.Response:
        response = await registry.post(path, json=body, headers=INSPECTOR)
        assert response.status_code == status, (path, response.text)
        assert bureau.registry_events() == before, (path, "appended something")
        return response

    big, huge = "x" * 100_000, "x" * 10_000_000
    other = fresh_credit_code()
    # a 10 MB contact: refused before it is read; 100 KB names, addresses, models: each field
    # held to its meaning
    too_big = await refused("/enterprises", enterprise(other, contact=huge), status=413)
    assert "larger than this route's limit of 262144 bytes" in too_big.json()["detail"]
    assert fields_named(await refused("/enterprises", enterprise(other, name=big))) == ["name"]
    assert fields_named(await refused("/enterprises", enterprise(other, address=big))) == [
        "address"
    ]
    models = certificate("CERT-E2", code, models=["MFZ/ABC4", big])
    assert fields_named(await refused("/certificates", models)) == ["1"]
    # blank and NUL text
    assert fields_named(await refused("/enterprises", enterprise(other, name="   "))) == ["name"]
    nul = await refused("/enterprises", enterprise(other, name="浙江\x00消防"))
    assert "control character (U+0000) at position 2" in nul.text
    # a body that is not UTF-8: a documented 4xx, not a 500
    garbled = await registry.post(
        "/enterprises", content=b'{"name": "\xd5\xe3\xbd\xad"}',
        headers={**INSPECTOR, "Content-Type": "application/json"},
    )  # fmt: skip
    assert garbled.status_code in (400, 422), garbled.text
    assert (
        str(garbled.status_code)
        in (await registry.get("/openapi.json")).json()["paths"]["/enterprises"]["post"][
            "responses"
        ]
    )
    assert bureau.registry_events() == before
    # a certificate of a holder never registered, or of a body that does not exist
    unknown = await refused("/certificates", certificate("CERT-E3", stranger))
    assert fields_named(unknown) == ["holder_credit_code"]
    assert f"enterprise {stranger} is not registered" in unknown.text
    nobody = await refused("/certificates", certificate("CERT-E4", code, certification_body="XYZ"))
    assert fields_named(nobody) == ["certification_body"]
    # a suspension reason of 100 KB
    reason = {"reason_code": "holder_requested", "reason": big}
    response = await registry.post("/certificates/CERT-E1/suspend", json=reason, headers=HEAD)
    assert (response.status_code, fields_named(response)) == (422, ["reason"])
    # every field within its limit, but together more than the registry's events may hold
    long_but_valid = enterprise(
        other, name="企" * 200, address="址" * 300, legal_representative="人" * 50
    )
    too_large = await refused("/enterprises", long_but_valid, status=413)
    assert too_large.json()["kind"] == "event_too_large"
    assert too_large.json()["fields"][0] == "address"
    assert bureau.registry_events() == before

    # and the next good event still reaches the inspection service
    suspension = {"reason_code": "holder_requested", "reason": "企业申请暂停"}
    response = await registry.post("/certificates/CERT-E1/suspend", json=suspension, headers=HEAD)
    assert response.status_code == 200, response.text
    found = await eventually(lambda: bureau.surprise_inspections(code), within=20.0)
    assert "CERT-E1 suspended" in found[0]["cause"]


async def test_inspection_refuses_a_credit_code_with_a_wrong_check_character(
    bureau: Bureau,
) -> None:
    wrong = "914403001922038217"  # GB 32100: the check character is 6
    plan = {"enterprise_credit_code": wrong, "kind": "patrol", "due_on": "2026-03-02"}
    before = bureau.inspection_events()
    response = await bureau.to_inspection.post("/inspections", json=plan, headers=INSPECTOR)
    assert response.status_code == 422, response.text
    assert "check character should be '6', not '7'" in response.text
    assert fields_named(response) == ["enterprise_credit_code"]
    assert bureau.inspection_events() == before
