"""Access control of the inspection service: the table covers every route and says who does
what in the bureau, every role meets every route as the table says, a refused command changes
nothing, a missing or bad token is 401, and the service's bus user may run its subscriptions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from inspection_support import (
    ASSIGNEE,
    HEAD,
    INSPECTOR,
    SYSTEM,
    InspectionService,
    credit_code,
    enterprise_registered,
    plan,
    record,
    registered,
)

from ccc_contracts.envelope import StreamId
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
from ccc_shared.runtime.nats_permissions import uncovered_subscriptions
from ccc_shared.testing.actors import TEST_JWT, actor_headers
from inspection.access import ACCESS

pytestmark = pytest.mark.integration
CONTEXT = "inspection"
HEADS, INSPECTORS, MACHINES = {HEAD, "admin"}, {INSPECTOR, HEAD}, {SYSTEM, "admin"}
# Who the bureau means to give each command to (every query: every role, auditors included).
# The section head plans, assigns and calls off; inspectors inspect, survey and trace on site;
# the plan and a campaign's deadline are run by the scheduler (system) or a head by hand.
COMMANDS: dict[str, set[str]] = {
    "schedule_inspection": INSPECTORS,
    "assign_inspection": HEADS,
    "start_inspection": INSPECTORS,
    "complete_inspection": INSPECTORS,
    "cancel_inspection": HEADS,
    "run_patrol_plan": HEADS | MACHINES,
    "launch_campaign": HEADS,
    "survey_campaign_enterprise": INSPECTORS,
    "record_campaign_step": INSPECTORS,
    "raise_uncertified_producers": HEADS | MACHINES,
    "record_unqualified_product": INSPECTORS,
}
# The person who really makes each step in the walk below.
DOERS = {
    "schedule_inspection": HEAD,
    "assign_inspection": HEAD,
    "start_inspection": INSPECTOR,
    "complete_inspection": INSPECTOR,
    "cancel_inspection": HEAD,
    "run_patrol_plan": SYSTEM,
    "launch_campaign": HEAD,
    "survey_campaign_enterprise": INSPECTOR,
    "record_campaign_step": INSPECTOR,
    "raise_uncertified_producers": SYSTEM,
    "record_unqualified_product": INSPECTOR,
}
SINGLE_DATABASE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SINGLE_DATABASE
async def test_the_table_covers_every_route_and_every_role_meets_it_as_it_says(
    service: InspectionService,
) -> None:
    app = service.app
    assert unlisted_routes(app, CONTEXT, ACCESS) == []
    assert stale_entries(app, CONTEXT, ACCESS) == []
    for route in app_routes(app):
        if route.name in PUBLIC_ROUTES:
            continue
        expected = set(ROLES) if route.query else COMMANDS[route.name]
        assert allowed_roles(ACCESS, f"{CONTEXT}:{route.name}", query=route.query) == (expected), (
            route.name
        )

    matrix = access_matrix(app, CONTEXT, ACCESS)
    assert {route.name for route, _, _ in matrix if not route.query} == set(COMMANDS)
    before = service.event_count()
    for route, role, allowed in matrix:  # no body: an allowed command stops at 422 or 404
        headers = actor_headers(role)
        response = await service.http.request(route.method, probe_path(route), headers=headers)
        assert (response.status_code == 403) is not allowed, (route.name, role, response.text)
        assert response.status_code != 401
    assert service.event_count() == before

    paths = app.openapi()["paths"]  # the API says who may call what
    assigning = paths["/inspections/{inspection_id}/assign"]["post"]
    assert assigning["security"] == [{"bearer": []}]
    assert assigning["responses"]["403"]["description"].endswith("admin, section_head")
    assert "auditor" in paths["/inspections"]["get"]["responses"]["403"]["description"]

    subscriptions = [(s.name, s.context) for s in app.state.kernel.subscriptions]
    assert {name for name, _ in subscriptions} == {"inspection-registry", "inspection-enforcement"}
    assert uncovered_subscriptions(CONTEXT, subscriptions) == []


async def test_each_step_is_refused_to_every_other_role_and_changes_nothing_then_made(
    service: InspectionService,
) -> None:
    today = date(2026, 5, 4)  # the fixture's fixed bureau date
    certified, producer, maker = credit_code(), credit_code(), "91330102MA2H0K3L4W"
    await service.publish_registry(enterprise_registered(certified))
    await service.publish_registry(registered("C-ACCESS", certified))
    await service.eventually(lambda: service.read("/patrol-plan"))  # the plan has work to do
    await service.command("/inspections", plan(certified, inspection_id="INS-R"), role=HEAD)
    campaign = {
        "campaign_id": "CAM-NEW", "title": "消防产品专项整治", "product_categories": ["1812"],
        "deadline": today.isoformat(),
    }  # fmt: skip
    trace = {
        "found_at": "平安消防器材店", "product_category": "1812", "model": "MFZ/ABC4",
        "problem": "no_certificate", "manufacturer_credit_code": maker,
    }  # fmt: skip
    steps: list[tuple[str, str, dict[str, Any] | None]] = [
        ("schedule_inspection", "/inspections", plan(certified, inspection_id="INS-NEW")),
        ("assign_inspection", "/inspections/INS-R/assign",
         {"department": "稽查科", "inspector": ASSIGNEE}),
        ("start_inspection", "/inspections/INS-R/start", None),
        ("complete_inspection", "/inspections/INS-R/complete", record()),
        ("cancel_inspection", "/inspections/INS-NEW/cancel", {"reason": "merged into INS-R"}),
        ("run_patrol_plan", "/patrol-plan/run", None),
        ("launch_campaign", "/campaigns", campaign),
        ("survey_campaign_enterprise", "/campaigns/CAM-NEW/enterprises",
         {"credit_code": producer, "product_categories": ["1812"]}),
        ("record_campaign_step", f"/campaigns/CAM-NEW/enterprises/{producer}/steps",
         {"step": "informed"}),
        ("raise_uncertified_producers", "/campaigns/CAM-NEW/raise-uncertified", None),
        ("record_unqualified_product", "/traces", trace),
    ]  # fmt: skip
    assert [name for name, _, _ in steps] == list(COMMANDS)
    for name, path, body in steps:
        if name == "raise_uncertified_producers":
            service.clock.moved_to = date(2026, 5, 5)  # past the campaign's deadline
        allowed = allowed_roles(ACCESS, f"{CONTEXT}:{name}", query=False)
        before = service.event_count()
        for role in sorted(set(ROLES) - allowed):
            response = await service.post(path, body, role=role)
            assert response.status_code == 403, (name, role, response.text)
            assert response.json()["detail"] == f"{role} may not {CONTEXT}:{name}"
        assert service.event_count() == before, name
        assert DOERS[name] in allowed
        await service.command(path, body, role=DOERS[name])
        assert service.event_count() > before, name  # the step was real: it records events

    actors = [(e.event_type, e.actor.id, e.actor.role)
              for e in service.store.load(StreamId("inspection", "INS-R"))]  # fmt: skip
    assert actors == [
        ("InspectionScheduled", "head-1", HEAD),
        ("InspectionAssigned", "head-1", HEAD),
        ("InspectionStarted", "inspector-7", INSPECTOR),
        ("InspectionCompleted", "inspector-7", INSPECTOR),
    ]


def expired_token() -> str:
    """A token of ours that ran out an hour ago."""
    head = Principal.of("head-1", "陈静", "test-department", HEAD)
    return mint_token(head, TEST_JWT, now=datetime.now(UTC) - timedelta(hours=9))


def forged_token() -> str:
    """A section head's token signed with a key that is not the bureau's."""
    head = Principal.of("head-1", "陈静", "test-department", HEAD)
    return mint_token(head, JwtSettings("another-key-" + "o" * 40))


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing"),
        ({"Authorization": f"Bearer {expired_token()}"}, "expired"),
        ({"Authorization": f"Bearer {forged_token()}"}, "invalid_signature"),
        ({"Authorization": "Basic aGVhZDpwYXNz"}, None),
        ({"X-Actor-Id": "head-1", "X-Actor-Role": "section_head"}, "missing"),
    ],
    ids=["missing", "expired", "other-key", "not-bearer", "old-actor-headers"],
)
async def test_without_a_valid_token_nothing_is_answered_and_nothing_changes(
    service: InspectionService, headers: dict[str, str], reason: str | None
) -> None:
    await service.command("/inspections", plan(credit_code(), inspection_id="INS-T"), role=HEAD)
    before = service.event_count()
    requests = [
        ("POST", "/inspections", plan(credit_code())),
        ("POST", "/inspections/INS-T/cancel", {"reason": "no token"}),
        ("POST", "/patrol-plan/run", None),
        ("GET", "/inspections/INS-T", None),
        ("GET", "/inspections", None),
        ("GET", "/nowhere", None),
    ]
    for method, path, body in requests:
        response = await service.http.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        if reason is not None:
            assert response.json()["reason"] == reason
    assert service.event_count() == before
    assert (await service.read("/inspections/INS-T"))["status"] == "scheduled"
    assert (await service.http.get("/health")).status_code == 200  # liveness needs no token


async def test_the_actor_is_the_tokens_person_whatever_the_request_says(
    service: InspectionService,
) -> None:
    planned = plan(credit_code(), inspection_id="INS-A")
    headers = {**actor_headers(INSPECTOR), "X-Actor-Id": "head-1", "X-Actor-Role": HEAD}
    sneaky = {**planned, "actor": {"id": "head-1", "role": HEAD}}
    response = await service.http.post("/inspections", json=sneaky, headers=headers)
    assert response.status_code == 422  # no body names an actor
    response = await service.http.post("/inspections", json=planned, headers=headers)
    assert response.status_code == 201, response.text
    (scheduled,) = service.store.load(StreamId("inspection", "INS-A"))
    assert (scheduled.actor.id, scheduled.actor.role, scheduled.actor.name) == (
        "inspector-7", INSPECTOR, "王芳",
    )  # fmt: skip
    refused = await service.http.post(
        "/inspections/INS-A/assign", json={"department": "d", "inspector": "i"}, headers=headers
    )
    assert refused.status_code == 403  # the header does not make an inspector a section head
