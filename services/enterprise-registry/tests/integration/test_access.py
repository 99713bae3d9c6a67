"""Who may do what in the registry: its entries of the access table, route by route, role by role.

Every route is listed and every entry names a route; every role tries every route (refused
exactly where the table says); every command, refused to each role the table leaves out,
changes nothing, then succeeds for the role that really takes the step; tokens that are
missing, expired or signed with another key are 401; the bus user runs every subscription.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from registry_support import Registry, certificate_body, credit_code, enterprise_body

from ccc_shared.runtime.access import (
    access_matrix,
    allowed_roles,
    app_routes,
    probe_path,
    stale_entries,
    unlisted_routes,
)
from ccc_shared.runtime.auth import ROLES, JwtSettings, Principal, mint_token
from ccc_shared.runtime.nats_permissions import uncovered_subscriptions
from ccc_shared.runtime.settings import sqlite_url
from ccc_shared.testing.actors import DEFAULT_PEOPLE, TEST_JWT, actor_headers
from enterprise_registry.access import ACCESS
from enterprise_registry.main import Settings, create_app

pytestmark = pytest.mark.integration

CONTEXT = "registry"
INSPECTOR, HEAD, SYSTEM = "inspector", "section_head", "system"  # who takes the steps
TODAY = date(2026, 3, 2)  # the registry fixture's fixed bureau date


def test_every_route_is_in_the_table_and_every_entry_names_a_route(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=sqlite_url(tmp_path / "r.db"), data_dir=tmp_path))
    assert unlisted_routes(app, CONTEXT, ACCESS) == []
    assert stale_entries(app, CONTEXT, ACCESS) == []
    subscriptions = [(s.name, s.context) for s in app.state.kernel.subscriptions]
    assert subscriptions, "the registry reads inspection's and enforcement's streams"
    assert uncovered_subscriptions(CONTEXT, subscriptions) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the table, not the DB
async def test_every_route_with_every_role(registry: Registry) -> None:
    """A body-less call passes access control (then fails validation or finds nothing)
    exactly when the table allows the role; auditors read everything and change nothing."""
    matrix = access_matrix(registry.app, CONTEXT, ACCESS)
    operations = {f"{CONTEXT}:{route.name}" for route, _role, _allowed in matrix}
    assert operations == {op for op in ACCESS if op.startswith(f"{CONTEXT}:")}
    assert len(matrix) == len(operations) * len(ROLES)
    for route, role, allowed in matrix:
        response = await registry.http.request(
            route.method, probe_path(route), headers=actor_headers(role)
        )
        assert (response.status_code == 403) is not allowed, (route.name, role, response.text)
        assert response.status_code != 401
        if role == "auditor":
            assert allowed is route.query, route.name
    assert registry.event_count() == 0


@dataclass
class Step:
    """One command as a real user takes it: in which role, what, and the status it answers."""

    operation: str
    method: str
    path: str
    role: str
    body: Any = None
    content_type: str | None = None
    status: int = 200
    appends: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def request(self, role: str) -> dict[str, Any]:
        """The keyword arguments of the httpx call by a person in ``role``."""
        headers = actor_headers(role)
        if self.content_type is None:
            return {"json": self.body, "headers": {**headers, **self.extra}}
        content = json.dumps(self.body, ensure_ascii=False).encode()
        return {"content": content, "headers": {**headers, "Content-Type": self.content_type}}


def lifecycle(code: str) -> list[Step]:
    """Every command of the registry, in an order in which each one succeeds."""
    expires = "2026-04-01"  # 30 days after TODAY: inside the renewal window (art 24)
    spot = {"spot_check_id": "SC-1", "level": "county", "checked_on": TODAY.isoformat(),
            "product_category": "1812", "passed": False,
            "defects": ["灭火剂充装量不足"]}  # fmt: skip
    feed_row = {**certificate_body("ACC-FEED", code), "models": "MFZ/ABC4", "expires_on": "",
                "status": "valid", "status_date": "", "reason_code": ""}  # fmt: skip
    body = {"code": "CQC", "name": "中国质量认证中心",
            "accreditation_number": "CNCA-R-2002-001", "contact": "010-83886666"}  # fmt: skip
    finding = {"finding_id": "patrol-1", "found_on": TODAY.isoformat(), "source": "patrol",
               "description": "证书覆盖型号与实物不符", "severity": "major"}  # fmt: skip
    enterprise, certificate = f"/enterprises/{code}", "/certificates/ACC-1"
    return [
        # the body's actor is ignored: the event names the token's person
        Step("register_enterprise", "POST", "/enterprises", INSPECTOR, enterprise_body(code),
             status=201, extra={"X-Actor-Id": "someone-else", "X-Actor-Role": "admin"}),
        Step("update_profile", "PATCH", enterprise, INSPECTOR, {"scale": "medium"}),
        Step("assign_custodian", "POST", f"{enterprise}/custodian", HEAD, {"custodian_id": "li"}),
        Step("record_spot_check", "POST", f"{enterprise}/spot-checks", INSPECTOR, spot),
        Step("record_credit_rating", "POST", f"{enterprise}/credit-rating", SYSTEM,
             {"rating": "high_risk", "source": "国家企业信用信息公示系统",
              "rated_on": TODAY.isoformat()}),
        Step("record_quality_status", "POST", f"{enterprise}/quality-status", HEAD,
             {"status": "poor", "source": "质量分析报告", "assessed_on": TODAY.isoformat()}),
        Step("register_body", "POST", "/certification-bodies", HEAD, body, status=201),
        Step("register_certificate", "POST", "/certificates", INSPECTOR,
             certificate_body("ACC-1", code, expires_on=expires, certification_body="CQC"),
             status=201),
        Step("renew", "POST", f"{certificate}/renew", HEAD, {}),
        Step("change_scope", "POST", f"{certificate}/scope", HEAD,
             {"reason_code": "models_extended", "models_added": ["MFZ/ABC8"]}),
        Step("suspend", "POST", f"{certificate}/suspend", HEAD,
             {"reason_code": "holder_requested"}),
        Step("reinstate", "POST", f"{certificate}/reinstate", HEAD, {"reason_code": "rectified"}),
        Step("revoke", "POST", f"{certificate}/revoke", HEAD, {"reason_code": "product_mismatch"}),
        Step("import_certificate_feed", "POST", "/certificate-feed", SYSTEM, [feed_row],
             content_type="application/json"),
        Step("cancel", "POST", "/certificates/ACC-FEED/cancel", HEAD,
             {"reason_code": "no_longer_produced"}),
        Step("record_finding", "POST", "/certification-bodies/CQC/findings", INSPECTOR, finding),
        Step("rate_body", "POST", "/certification-bodies/CQC/ratings", HEAD,
             {"period": "2025", "rating": "qualified", "reasons": ["一项重大发现"]}),
        Step("expiry_sweep", "POST", "/maintenance/expiry-sweep", SYSTEM, appends=False),
    ]  # fmt: skip


async def test_a_refused_command_changes_nothing_and_the_real_role_succeeds(
    registry: Registry,
) -> None:
    steps = lifecycle(code := credit_code())
    commands = {route.name for route in app_routes(registry.app) if not route.query}
    assert {step.operation for step in steps} == commands
    for step in steps:
        allowed = allowed_roles(ACCESS, f"{CONTEXT}:{step.operation}", query=False)
        before = registry.event_count()
        for role in sorted(set(ROLES) - allowed):
            refused = await registry.http.request(step.method, step.path, **step.request(role))
            assert refused.status_code == 403, (step.operation, role, refused.text)
            assert refused.json()["reason"] == "forbidden"
        assert registry.event_count() == before, step.operation
        assert step.role in allowed, step.operation
        done = await registry.http.request(step.method, step.path, **step.request(step.role))
        assert done.status_code == step.status, (step.operation, done.text)
        appended = registry.store.read_all(0, 100_000)[before:]
        assert bool(appended) is step.appends, step.operation
        person = (DEFAULT_PEOPLE[step.role][0], step.role)  # from the token, never the headers
        assert {(e.actor.id, e.actor.role) for e in appended} <= {person}, step.operation
    assert (await registry.read("/certificates/ACC-1"))["status"] == "revoked"
    assert (await registry.read(f"/enterprises/{code}"))["custodian_id"] == "li"


def token(principal: Principal, settings: JwtSettings = TEST_JWT, **when: Any) -> dict[str, str]:
    """An Authorization header with a JWT minted for ``principal``."""
    return {"Authorization": f"Bearer {mint_token(principal, settings, **when)}"}


async def test_missing_expired_and_forged_tokens_are_401_and_change_nothing(
    registry: Registry,
) -> None:
    head = Principal.of("head-1", "陈静", "test-department", "section_head")
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    refusals = {
        "missing": {},
        "malformed": {"Authorization": "Bearer not-a-jwt"},
        "expired": token(head, lifetime=timedelta(minutes=5), now=an_hour_ago),
        "invalid_signature": token(head, JwtSettings("another-bureau-key-" + "o" * 32)),
        "invalid": token(head, JwtSettings(TEST_JWT.key, audience="another-audience")),
    }
    code = credit_code()
    for reason, headers in refusals.items():
        command = await registry.http.post(
            "/enterprises", json=enterprise_body(code), headers=headers
        )
        query = await registry.http.get("/enterprises", headers=headers)
        for response in (command, query):
            assert response.status_code == 401, (reason, response.text)
            assert response.json()["reason"] == reason
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert registry.event_count() == 0
    assert (await registry.http.get("/health")).status_code == 200  # liveness needs no token
    accepted = await registry.http.post(
        "/enterprises", json=enterprise_body(code), headers=token(head)
    )
    assert accepted.status_code == 201, accepted.text
