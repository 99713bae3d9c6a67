"""Access control of the enforcement service: the table covers every route, every role meets
every route as the table says, a refused command changes nothing, a bad token is 401, and the
service's bus user may run its subscriptions."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from enforcement_support import (
    HEAD,
    OFFICER,
    SYSTEM,
    Clock,
    EnforcementService,
    credit_code,
    penalty,
)

from ccc_shared.runtime.access import (
    PUBLIC_ROUTES,
    access_matrix,
    allowed_roles,
    app_routes,
    probe_path,
    stale_entries,
    unlisted_routes,
)
from ccc_shared.runtime.auth import ROLES, JwtSettings, Principal, mint_token
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.nats_permissions import uncovered_subscriptions
from ccc_shared.runtime.settings import sqlite_url
from ccc_shared.testing.actors import TEST_JWT, actor_headers
from enforcement.access import ACCESS
from enforcement.main import Settings, create_app

pytestmark = pytest.mark.integration
CONTEXT = "enforcement"
DOCUMENT = b"%PDF-1.7 a decision nobody may store without the right"
ASSIGNMENT = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
# A valid body for every command: a refusal must be access control's, not validation's.
BODIES: dict[str, dict[str, Any]] = {
    "receive_new_complaint": {
        "channel": "hotline",
        "subject_credit_code": "91330100MA0000001F",
        "problem": "no_certificate",
        "description": "无3C标志",
        "informant": "张三",
    },
    "open_manual_case": {"subject_credit_code": "91330100MA0000001F", "problem": "mark_misuse"},
    "drop_clue": {"reason": "not a catalogue product"},
    "assign_case": ASSIGNMENT,
    "notify_party": {"intended": "fine 10,000 RMB"},
    "extend_decision_deadline": {"approved_by": "陈静", "approval_reference": "延期审批-1"},
    "stop_handling_clock": {"reason": "hearing"},
    "restart_handling_clock": {},
    "issue_warning": {"content": "规范使用3C标志"},
    "give_guidance": {"content": "已指导整改"},
    "order_rectification": {"requirement": "停产整改", "deadline": "2026-04-10"},
    "verify_rectification": {"passed": True},
    "decide_penalty": penalty(hashlib.sha256(DOCUMENT).hexdigest()),
    "decide_no_penalty": {"reason_code": "rectified"},
    "execute_decision": {"remarks": "罚款已缴"},
    "refer_case": {"to_jurisdiction": "320100", "reason": "maker elsewhere"},
    "answer_referral": {"accepted": True},
    "record_cnca_report": {"receipt": "CNCA-1"},
    "open_case_for_violation": {"violation_id": "INS-7/V2"},
}


@pytest.fixture
async def matrix_service(
    embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[EnforcementService]:
    """The app once, on SQLite: the matrix checks access control, not the store."""
    url = sqlite_url(tmp_path / "matrix.db")
    settings = Settings(database_url=url, nats_url=embedded_nats.url, data_dir=tmp_path)
    clock = Clock(date(2026, 3, 2))
    app = create_app(settings, clock=clock)
    nc = await nats.connect(embedded_nats.url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://enforcement") as http,
    ):
        yield EnforcementService(app, http, nc, clock, url)
    await nc.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_table_lists_every_route_and_nothing_else(
    matrix_service: EnforcementService,
) -> None:
    app = matrix_service.app
    assert unlisted_routes(app, CONTEXT, ACCESS) == []
    assert stale_entries(app, CONTEXT, ACCESS) == []
    commands = {route.name for route in app_routes(app) if not route.query}
    assert {"sweep_deadlines", "upload_decision_document"} <= commands
    for name in commands:  # auditors change nothing
        assert "auditor" not in allowed_roles(ACCESS, f"{CONTEXT}:{name}", query=False)


async def test_the_access_matrix_every_route_with_every_role(
    matrix_service: EnforcementService,
) -> None:
    """A body-less call passes access control (then fails validation, finds nothing, or reads
    an empty store) exactly when the table allows the role; nothing changes either way."""
    service = matrix_service
    before = service.event_count()
    matrix = access_matrix(service.app, CONTEXT, ACCESS)
    routes = [route for route in app_routes(service.app) if route.name not in PUBLIC_ROUTES]
    listed = [op for op in ACCESS if op.startswith(f"{CONTEXT}:")]
    assert len(matrix) == len(routes) * len(ROLES)
    assert len(routes) == len(listed) == 36
    outcomes: list[tuple[str, str, int]] = []
    for route, role, allowed in matrix:
        response = await service.http.request(
            route.method, probe_path(route), headers=actor_headers(role)
        )
        outcomes.append((route.name, role, response.status_code))
        assert (response.status_code == 403) is not allowed, outcomes[-1]
        assert response.status_code not in (401, 500), outcomes[-1]
    assert service.event_count() == before
    refused = {(name, role) for name, role, status in outcomes if status == 403}
    assert ("assign_case", "case_officer") in refused  # heads assign
    assert ("sweep_deadlines", "section_head") in refused  # machines (and admins) sweep
    assert ("get_case", "auditor") not in refused
    assert ("close_case", "auditor") in refused


async def test_a_refused_command_changes_nothing(service: EnforcementService) -> None:
    """Every command, with a valid body on a real clue, in every role the table refuses."""
    opened = await service.command(
        "/cases", {"subject_credit_code": credit_code(), "problem": "no_certificate"}
    )
    number = opened["aggregate_id"]
    service.clock.day = date(2026, 3, 25)  # the register decision is overdue: a sweep would act
    before = service.event_count()
    sha256 = hashlib.sha256(DOCUMENT).hexdigest()
    tried = 0
    for route, role, allowed in access_matrix(service.app, CONTEXT, ACCESS):
        if allowed or route.query:
            continue
        path = probe_path(route, number)
        if route.name == "upload_decision_document":
            headers = {**actor_headers(role), "Content-Type": "application/pdf"}
            response = await service.http.post(path, content=DOCUMENT, headers=headers)
        else:
            body = BODIES.get(route.name, {})
            response = await service.http.request(
                route.method, path, json=body, headers=actor_headers(role)
            )
        assert response.status_code == 403, (route.name, role, response.text)
        assert response.json()["reason"] == "forbidden"
        tried += 1
    assert tried > 40
    assert service.event_count() == before
    assert (await service.http.get(f"/documents/{sha256}", headers=OFFICER)).status_code == 404
    assert (await service.get(f"/cases/{number}"))["status"] == "clue"
    # the same commands in their real roles do change things
    swept = await service.command("/deadline-sweep", headers=SYSTEM)
    assert [m["case_number"] for m in swept["missed"]] == [number]
    await service.command(f"/cases/{number}/assign", ASSIGNMENT, HEAD)
    assert (await service.get(f"/cases/{number}"))["officer"] == "officer-3"
    assert service.event_count() == before + 2


@pytest.mark.parametrize(
    "authorization",
    ["missing", "expired", "another key", "garbage", "basic"],
)
async def test_without_a_valid_token_everything_is_401_and_nothing_changes(
    service: EnforcementService, authorization: str
) -> None:
    officer = Principal.of("officer-3", "李强", "稽查科", "case_officer")
    long_ago = datetime.now(UTC) - timedelta(hours=9)
    headers = {
        "missing": {},
        "expired": bearer(mint_token(officer, TEST_JWT, now=long_ago)),
        "another key": bearer(mint_token(officer, JwtSettings("another-bureau-" + "o" * 32))),
        "garbage": bearer("not.a.token"),
        "basic": {"Authorization": "Basic b2ZmaWNlci0zOnB3"},
    }[authorization]
    before = service.event_count()
    body = {"subject_credit_code": credit_code(), "problem": "no_certificate"}
    for method, path, payload in [
        ("POST", "/cases", body),
        ("POST", "/complaints", BODIES["receive_new_complaint"]),
        ("POST", "/deadline-sweep", None),
        ("GET", "/cases", None),
        ("GET", "/complaints/CMP-1", None),
        ("GET", "/figures", None),
    ]:
        response = await service.http.request(method, path, json=payload, headers=headers)
        assert response.status_code == 401, (authorization, path, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert service.event_count() == before
    assert (await service.http.get("/health")).status_code == 200  # liveness needs no token


async def test_the_bus_user_covers_the_services_subscriptions(
    matrix_service: EnforcementService,
) -> None:
    subscriptions = matrix_service.app.state.kernel.subscriptions
    assert [s.name for s in subscriptions] == ["enforcement-inspection"]
    assert uncovered_subscriptions(CONTEXT, [(s.name, s.context) for s in subscriptions]) == []
    assert uncovered_subscriptions("notification", [("enforcement-inspection", "inspection")])
