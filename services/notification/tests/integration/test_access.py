"""Access control of the notification service: every route in the table, every role against
it, refusals that change nothing, tokens that do not prove who calls, and the inbox rule (a
person opens, marks and confirms only their own inbox; section heads and admins any; auditors
read any)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from notification_support import (
    ADMIN,
    AUDITOR,
    NotificationService,
    credit_code,
    eventually,
    published_event,
)

from ccc_contracts import notification as contracts
from ccc_contracts.enforcement import CaseAssigned
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
from ccc_shared.testing.actors import TEST_JWT, actor_headers
from notification.access import ACCESS

pytestmark = pytest.mark.integration
CONTEXT = contracts.CONTEXT
OFFICER = "staff:officer-3"  # the default case officer's inbox (actor_headers("case_officer"))


def event_count(service: NotificationService) -> int:
    """How many events the service has stored."""
    return len(service.store.read_all(0, 100_000))


async def assigned_notice(service: NotificationService, case_number: str) -> str:
    """A case assigned to officer-3: its notice, once it sits in their inbox."""
    assigned = CaseAssigned(case_number=case_number, subject_credit_code=credit_code(),
                            department="稽查科", officer="officer-3",
                            assigned_on=date.today())  # fmt: skip
    cause = published_event("enforcement", "case", case_number, assigned)
    await service.publish("enforcement", cause)
    notice = await service.notice_for(cause.event_id, OFFICER, "assignment_to_assignee")

    async def delivered() -> bool:
        response = await service.http.get(f"/notifications/{notice}", headers=AUDITOR)
        return response.status_code == 200 and response.json()["status"] == "delivered"

    await eventually(delivered)
    return notice


async def unread(service: NotificationService, recipient: str) -> int:
    """How many notices of an inbox are unread (as a section head sees it)."""
    page = await service.http.get(f"/inbox/{recipient}", headers=actor_headers("section_head"))
    assert page.status_code == 200, page.text
    count: int = page.json()["unread"]
    return count


async def test_every_route_is_in_the_table_and_every_entry_names_a_route(
    service: NotificationService,
) -> None:
    assert unlisted_routes(service.app, CONTEXT, ACCESS) == []
    assert stale_entries(service.app, CONTEXT, ACCESS) == []


async def test_the_bus_user_may_run_every_subscription(service: NotificationService) -> None:
    subscriptions = [(s.name, s.context) for s in service.app.state.kernel.subscriptions]
    assert {context for _name, context in subscriptions} == {
        "registry", "inspection", "enforcement",
    }  # fmt: skip
    assert uncovered_subscriptions(CONTEXT, subscriptions) == []
    assert uncovered_subscriptions(CONTEXT, [("notification-audit", "registry")]) == [
        "notification-audit on CCC_REGISTRY"
    ]  # the check does see a subscription the bus would refuse


async def test_the_access_matrix_every_route_with_every_role(
    service: NotificationService,
) -> None:
    """A body-less call passes access control (then fails validation, finds nothing or
    answers) exactly when the table allows the role; none of them changes anything."""
    before = event_count(service)
    matrix = access_matrix(service.app, CONTEXT, ACCESS)
    assert len(matrix) == 11 * len(ROLES)
    for route, role, allowed in matrix:
        response = await service.http.request(
            route.method, probe_path(route), headers=actor_headers(role)
        )
        assert (response.status_code == 403) is not allowed, (route.name, role, response.text)
        assert response.status_code != 401
        assert response.status_code < 500, (route.name, role, response.text)
    assert event_count(service) == before


async def test_a_refused_command_is_403_and_changes_nothing(service: NotificationService) -> None:
    """Each command, made properly (real ids, a valid body), by every role the table refuses;
    then by the person who would really make it, which works."""
    entry = {"name": "上城区市场监督管理局", "language": "zh",
             "channels": [{"channel": "email", "address": "ccc@sc.gov.cn"}]}  # fmt: skip
    listed = await service.http.put("/directory/bureau:330102", json=entry, headers=ADMIN)
    assert listed.status_code == 200, listed.text
    read_notice = await assigned_notice(service, "CASE-R1")
    other_notice = await assigned_notice(service, "CASE-R2")
    commands: dict[str, tuple[str, str, dict[str, Any] | None]] = {
        "put_recipient": ("PUT", "/directory/bureau:330102", {**entry, "name": "改名"}),
        "mark_inbox_notice_read": ("POST", f"/inbox/{OFFICER}/{read_notice}/read", None),
        "acknowledge_notification": ("POST", f"/notifications/{other_notice}/acknowledge", None),
        "resend_notification": ("POST", f"/notifications/{other_notice}/resend",
                                {"reason": "再发一次"}),
        "remove_recipient": ("DELETE", "/directory/bureau:330102", None),
    }  # fmt: skip
    assert set(commands) == {r.name for r in app_routes(service.app) if not r.query}
    before = event_count(service)
    refusals = 0
    for name, (method, path, body) in commands.items():
        allowed = allowed_roles(ACCESS, f"{CONTEXT}:{name}", query=False)
        for role in sorted(set(ROLES) - allowed):
            response = await service.http.request(method, path, json=body,
                                                   headers=actor_headers(role))  # fmt: skip
            assert response.status_code == 403, (name, role, response.text)
            refusals += 1
    assert refusals >= len(commands)  # every command refuses someone (auditors at least)
    assert event_count(service) == before
    assert await unread(service, OFFICER) == 2
    shown = (await service.http.get("/directory/bureau:330102", headers=AUDITOR)).json()
    assert shown["name"] == "上城区市场监督管理局"

    head, officer = actor_headers("section_head"), actor_headers("case_officer")
    by_whom = {"put_recipient": ADMIN, "mark_inbox_notice_read": officer,
               "acknowledge_notification": officer, "resend_notification": head,
               "remove_recipient": head}  # fmt: skip
    for name, (method, path, body) in commands.items():
        response = await service.http.request(method, path, json=body, headers=by_whom[name])
        assert response.status_code == 200, (name, response.text)
    assert event_count(service) > before


def expired_token() -> str:
    """A token of ours that ran out an hour ago (well past the allowed clock skew)."""
    head = Principal.of("head-1", "陈静", "test-department", "section_head")
    return mint_token(head, TEST_JWT, now=datetime.now(UTC) - timedelta(hours=9))


def foreign_token() -> str:
    """A well-formed token signed with a key that is not the bureau's."""
    head = Principal.of("head-1", "陈静", "test-department", "section_head")
    return mint_token(head, JwtSettings("another-bureau-signing-key-" + "o" * 32))


async def test_without_a_valid_token_nothing_is_read_or_changed(
    service: NotificationService,
) -> None:
    callers = {
        "missing": {},
        "expired": {"Authorization": f"Bearer {expired_token()}"},
        "invalid_signature": {"Authorization": f"Bearer {foreign_token()}"},
    }
    before = event_count(service)
    entry = {"name": "x", "channels": [{"channel": "inbox"}]}
    for reason, headers in callers.items():
        for method, path, body in (
            ("GET", "/notifications", None),
            ("GET", f"/inbox/{OFFICER}", None),
            ("PUT", "/directory/bureau:330102", entry),
            ("POST", f"/notifications/{'f' * 32}/acknowledge", None),
        ):
            response = await service.http.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (reason, path, response.text)
            assert response.json()["reason"] == reason
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert event_count(service) == before
    listed = await service.http.get("/directory/bureau:330102", headers=AUDITOR)
    assert listed.status_code == 404
    for public in ("/health", "/openapi.json", "/docs"):
        assert (await service.http.get(public)).status_code == 200, public


async def test_a_person_reads_and_marks_only_their_own_inbox(
    service: NotificationService,
) -> None:
    mine, theirs = (
        await assigned_notice(service, "CASE-I1"),
        await assigned_notice(service, "CASE-I2"),
    )
    owner = actor_headers("case_officer")  # officer-3
    strangers = {
        "another officer": actor_headers("case_officer", user_id="officer-4"),
        "an inspector": actor_headers("inspector"),
        "a machine": actor_headers("system"),
    }
    page = await service.http.get(f"/inbox/{OFFICER}", headers=owner)
    assert page.status_code == 200
    assert {n["notification_id"] for n in page.json()["items"]} == {mine, theirs}
    for who, headers in strangers.items():
        refused = await service.http.get(f"/inbox/{OFFICER}", headers=headers)
        assert refused.status_code == 403, who
        # nor round the inbox through the notices: their status shows, their words do not
        view = (await service.http.get(f"/notifications/{mine}", headers=headers)).json()
        assert (view["subject"], view["body"], view["payload"], view["masked"]) == (
            "***", "***", {}, True,
        ), who  # fmt: skip
        listed = await service.http.get("/notifications", params={"recipient": OFFICER},
                                        headers=headers)  # fmt: skip
        assert {(n["body"], n["status"]) for n in listed.json()["items"]} == {
            ("***", "delivered")
        }, who
    for headers in (owner, AUDITOR, actor_headers("section_head")):
        view = (await service.http.get(f"/notifications/{mine}", headers=headers)).json()
        assert view["masked"] is False
        assert "CASE-I1" in view["subject"] + view["body"]
    for role in ("section_head", "admin", "auditor"):
        seen = await service.http.get(f"/inbox/{OFFICER}", headers=actor_headers(role))
        assert seen.status_code == 200, role
    inspector = actor_headers("inspector")
    assert (await service.http.get("/inbox/section_head", headers=inspector)).status_code == 403

    before = event_count(service)
    markers = {**strangers, "an auditor": AUDITOR}
    for who, headers in markers.items():
        refused = await service.http.post(f"/inbox/{OFFICER}/{mine}/read", headers=headers)
        assert refused.status_code == 403, who
        not_theirs = await service.http.post(f"/notifications/{mine}/acknowledge",
                                             headers=headers)  # fmt: skip
        assert not_theirs.status_code == 403, who  # no way round the inbox rule
    assert event_count(service) == before
    assert await unread(service, OFFICER) == 2

    read = await service.http.post(f"/inbox/{OFFICER}/{mine}/read", headers=owner)
    assert read.status_code == 200, read.text
    by_head = await service.http.post(f"/inbox/{OFFICER}/{theirs}/read",
                                      headers=actor_headers("section_head"))  # fmt: skip
    assert by_head.status_code == 200, by_head.text
    assert await unread(service, OFFICER) == 0
    views = [(await service.http.get(f"/notifications/{n}", headers=AUDITOR)).json()
             for n in (mine, theirs)]  # fmt: skip
    assert [(v["status"], v["acknowledged_by"]) for v in views] == [
        ("acknowledged", "officer-3"), ("acknowledged", "head-1"),
    ]  # fmt: skip
