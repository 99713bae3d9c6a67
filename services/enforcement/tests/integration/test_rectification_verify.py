"""``POST /cases/{n}/rectification/verify``: the officer records whether the order was carried
out; a pass ends the order, a failure escalates the case to a penalty."""

from __future__ import annotations

from typing import Any

import pytest
from enforcement_support import OFFICER, EnforcementService, credit_code, handled

pytestmark = pytest.mark.integration
ORDER = {"requirement": "停止使用3C标志, 更换铭牌", "deadline": "2026-03-16"}


async def case_with_an_order(service: EnforcementService) -> str:
    """A case under investigation by officer-3 with a rectification order due 16 March."""
    opened = await service.command(
        "/cases", {"subject_credit_code": credit_code(), "problem": "mark_misuse"}
    )
    number: str = opened["aggregate_id"]
    await handled(service, number)
    await service.command(f"/cases/{number}/rectification", ORDER)
    return number


async def test_a_passed_verification_ends_the_order_and_the_case_may_end_without_penalty(
    service: EnforcementService,
) -> None:
    number = await case_with_an_order(service)
    before = await service.get(f"/cases/{number}")
    assert (before["rectification_deadline"], before["next_due_on"]) == ("2026-03-16", "2026-03-16")

    body = {"passed": True, "remarks": "铭牌已更换"}
    done = await service.command(f"/cases/{number}/rectification/verify", body)
    assert [e["event_type"] for e in done["events"]] == ["RectificationVerified"]
    view = await service.get(f"/cases/{number}")
    assert (view["rectification_deadline"], view["rectification_failed"]) == (None, False)
    # the decision: 90 days after registration end on Sunday 2026-05-31, so on Monday 06-01
    assert view["next_due_on"] == "2026-06-01"

    async def published() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "RectificationVerified"]

    (verified,) = await service.eventually(published)
    assert verified["data"] == {
        "case_number": number, "subject_credit_code": view["subject_credit_code"],
        "passed": True, "verified_on": "2026-03-02", "remarks": "铭牌已更换",
        "escalated_to": None,
    }  # fmt: skip
    assert (verified["actor"]["id"], verified["actor"]["role"]) == ("officer-3", "case_officer")
    ended = await service.command(f"/cases/{number}/no-penalty", {"reason_code": "rectified"})
    assert [e["event_type"] for e in ended["events"]] == ["NoPenaltyDecided"]


async def test_a_failed_verification_escalates_and_only_a_penalty_can_follow(
    service: EnforcementService,
) -> None:
    number = await case_with_an_order(service)
    done = await service.command(
        f"/cases/{number}/rectification/verify", {"passed": False, "remarks": "仍在使用"}
    )
    assert [e["event_type"] for e in done["events"]] == ["RectificationVerified"]

    async def published() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "RectificationVerified"]

    (verified,) = await service.eventually(published)
    assert (verified["data"]["passed"], verified["data"]["escalated_to"]) == (False, "section_head")
    view = await service.get(f"/cases/{number}")
    assert (view["rectification_deadline"], view["rectification_failed"]) == (None, True)
    refused = await service.http.post(
        f"/cases/{number}/no-penalty", json={"reason_code": "rectified"}, headers=OFFICER
    )
    assert refused.status_code == 409
    assert "decide a penalty" in refused.json()["detail"]


async def test_verifying_without_an_open_order_is_refused_and_changes_nothing(
    service: EnforcementService,
) -> None:
    number = await case_with_an_order(service)
    await service.command(f"/cases/{number}/rectification/verify", {"passed": True})
    events = service.event_count()
    view = await service.get(f"/cases/{number}")
    again = await service.http.post(
        f"/cases/{number}/rectification/verify", json={"passed": False}, headers=OFFICER
    )
    assert again.status_code == 409
    assert "no rectification order awaiting verification" in again.json()["detail"]
    bad = await service.http.post(
        f"/cases/{number}/rectification/verify", json={"passed": "maybe"}, headers=OFFICER
    )
    assert bad.status_code == 422
    assert service.event_count() == events
    assert await service.get(f"/cases/{number}") == view
