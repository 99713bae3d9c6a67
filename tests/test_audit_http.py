"""The auditors' read-only routes over the running registry's kernel (real NATS, both databases).

The routes are mounted on an app of their own holding the registry's running kernel: the
service apps check every route against the access table, which does not list them (yet).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest
import yaml
from fastapi import FastAPI

from ccc_audit.http import audit_router
from ccc_audit.serve import AuditSettings, auditors_app
from ccc_shared.runtime.auth import authenticator_for
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.actors import actor_headers
from enterprise_registry.application.aggregates import BODY, CERTIFICATE, ENTERPRISE

sys.path.insert(0, str(Path(__file__).parent))

from test_audit_support import Lifecycle, lifecycle

pytestmark = pytest.mark.integration
AUDITOR = actor_headers("auditor")
ADMIN = actor_headers("admin")


@pytest.fixture
async def run(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Lifecycle]:
    """The registry and inspection after one suspension."""
    async with lifecycle(database_url, embedded_nats.url, tmp_path) as running:
        yield running


@pytest.fixture
async def audit(run: Lifecycle) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The audit routes of the registry's aggregates, on the registry's running kernel."""
    app = FastAPI()
    app.state.kernel = run.registry.state.kernel
    app.include_router(audit_router([ENTERPRISE, CERTIFICATE, BODY]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
        yield app, http


async def test_audit_routes_answer_timeline_state_and_verify(
    run: Lifecycle, audit: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    _, http = audit
    response = await http.get("/audit/timeline", params={"enterprise": run.enterprise})
    assert response.status_code == 200, response.text
    types = [row["envelope"]["event_type"] for row in response.json()]
    assert types[0] == "EnterpriseRegistered"
    assert "InspectionScheduled" in types

    path = f"/audit/aggregates/certificate/{run.certificate}"
    response = await http.get(path, headers=AUDITOR)
    assert response.status_code == 200, response.text
    assert response.json()["state"]["status"] == "suspended"
    response = await http.get(path, params={"as_of": "2000-01-01T00:00:00"}, headers=AUDITOR)
    assert response.status_code == 404

    response = await http.get("/audit/verify", headers=AUDITOR)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["ok"] is True
    assert verdict["published"] == verdict["on_stream"] > 0
    assert verdict["disagreement"] is None


async def test_audit_routes_refuse_bad_questions(
    run: Lifecycle, audit: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    app, http = audit
    assert (await http.get("/audit/timeline")).status_code == 422
    both = {"enterprise": run.enterprise, "certificate": run.certificate}
    assert (await http.get("/audit/timeline", params=both)).status_code == 422
    assert (await http.get("/audit/aggregates/ship/1")).status_code == 404
    response = await http.get("/audit/aggregates/certificate/x", params={"as_of": "yesterday"})
    assert response.status_code == 422
    assert (await http.get("/audit/verify", params={"service": "inspection"})).status_code == 404
    paths = app.openapi()["paths"]
    operations = {path: paths[path]["get"]["operationId"] for path in paths if "/audit" in path}
    assert sorted(name.split("_audit")[0] for name in operations.values()) == [
        "audit_aggregate_state",
        "audit_timeline",
        "audit_verify",
    ]


async def test_the_auditors_app_reads_every_store_and_serves_asyncapi(run: Lifecycle) -> None:
    databases = {"registry": run.registry_url, "inspection": run.inspection_url}
    authenticator = authenticator_for(AuditSettings())  # the tests' AUTH_JWT_KEY
    app = auditors_app(databases, lambda: nats.connect(run.nats_url), authenticator)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://audit", headers=AUDITOR) as http,
    ):
        response = await http.get("/audit/timeline", params={"certificate": run.certificate})
        assert [row["envelope"]["event_type"] for row in response.json()] == [
            "CertificateRegistered",
            "CertificateSuspended",
            "InspectionScheduled",  # caused by the suspension
        ]
        inspection_id = next(
            row["envelope"]["aggregate_id"]
            for row in (
                await http.get("/audit/timeline", params={"enterprise": run.enterprise})
            ).json()
            if row["envelope"]["event_type"] == "InspectionScheduled"
        )
        response = await http.get(
            f"/audit/aggregates/inspection/{inspection_id}", params={"service": "inspection"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["state"]["kind"] == "surprise"
        path = f"/audit/aggregates/certificate/{run.certificate}"
        assert (await http.get(path)).status_code == 404  # which service? say it
        response = await http.get(path, params={"service": "enterprise-registry"})
        assert response.json()["state"]["status"] == "suspended"
        for service in ("registry", "inspection"):
            verdict = (await http.get("/audit/verify", params={"service": service})).json()
            assert verdict["ok"] is True, verdict
        assert (
            await http.get("/audit/verify", params={"service": "enforcement"})
        ).status_code == 404
        asked = {"params": {"certificate": run.certificate}}
        anonymous = await http.get("/audit/timeline", **asked, headers={"Authorization": ""})
        assert anonymous.status_code == 401
        inspector = await http.get("/audit/timeline", **asked, headers=actor_headers("inspector"))
        assert inspector.status_code == 403
        assert (await http.get("/audit/timeline", **asked, headers=ADMIN)).status_code == 200
        document = await http.get("/asyncapi.yaml", headers={"Authorization": ""})
        assert document.status_code == 200
        assert yaml.safe_load(document.text)["asyncapi"] == "3.0.0"
