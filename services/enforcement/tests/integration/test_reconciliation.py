"""The 100% handling alarm: a violation whose case cannot be opened is kept as seen without a
case, and ``GET /reconciliation`` names it (with the reason) instead of hiding it, until a case
officer opens its case (``POST /reconciliation/open-case``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from enforcement_support import OFFICER, EnforcementService, credit_code, violation
from sqlalchemy import update

from enforcement.projections.tables import case_numbers

pytestmark = pytest.mark.integration


async def test_a_violation_whose_case_cannot_be_opened_is_listed_by_the_reconciliation(
    service: EnforcementService,
) -> None:
    code = credit_code()
    await service.publish_inspection(violation(code, "INS-7/V1"))
    (first,) = await service.eventually(lambda: service.cases_of(code))
    assert first["case_number"] == "CCC-2026-00001"  # the first case of 2026
    assert await service.get("/reconciliation") == {
        "violations_seen": 1,
        "violations_without_case": [],
        "cases_by_status": {"clue": 1},
    }

    # the year's case counter is lost (a read model restored from an older copy): the next
    # number handed out is one already taken, so the next violation's case is refused
    with service.store.transaction() as conn:
        conn.execute(update(case_numbers).values(last_sequence=0))
    events_before = service.event_count()
    await service.publish_inspection(violation(code, "INS-7/V2"))

    async def alarm() -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = (await service.get("/reconciliation"))[
            "violations_without_case"
        ]
        return listed

    (orphan,) = await service.eventually(alarm)
    assert (orphan["violation_id"], orphan["case_number"]) == ("INS-7/V2", None)
    assert orphan["problem"] == "case CCC-2026-00001: is already open (clue)"
    seen = await service.get("/reconciliation")
    assert (seen["violations_seen"], seen["cases_by_status"]) == (2, {"clue": 1})
    figures = await service.get("/figures")
    assert (figures["violations_with_case"], figures["handling_rate"]) == (1, 0.5)
    assert service.event_count() == events_before  # the refused opening appended nothing
    assert [c["violation_id"] for c in await service.cases_of(code)] == ["INS-7/V1"]


async def orphan_listed(service: EnforcementService, code: str) -> None:
    """INS-7/V1 opens CCC-2026-00001; the year's counter is lost, so INS-7/V2 is kept without
    a case (its opening drew CCC-2026-00001 again) and the reconciliation lists it."""
    await service.publish_inspection(violation(code, "INS-7/V1"))
    await service.eventually(lambda: service.cases_of(code))
    with service.store.transaction() as conn:
        conn.execute(update(case_numbers).values(last_sequence=0))
    await service.publish_inspection(violation(code, "INS-7/V2"))

    async def alarm() -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = (await service.get("/reconciliation"))[
            "violations_without_case"
        ]
        return listed

    assert [v["violation_id"] for v in await service.eventually(alarm)] == ["INS-7/V2"]


async def test_a_case_officer_opens_the_case_of_a_listed_violation_and_it_leaves_the_list(
    service: EnforcementService,
) -> None:
    # given INS-7/V2, received on Monday 2 March, listed without a case
    code = credit_code()
    await orphan_listed(service, code)
    service.clock.day = date(2026, 3, 4)  # the officer acts on Wednesday
    events_before = service.event_count()

    # when the officer opens its case while the counter is still wrong: refused, nothing changes
    body = {"violation_id": "INS-7/V2"}
    refused = await service.http.post("/reconciliation/open-case", json=body, headers=OFFICER)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"] == "case CCC-2026-00001: is already open (clue)"
    assert service.event_count() == events_before
    assert (await service.get("/reconciliation"))["violations_without_case"] == [
        {
            "violation_id": "INS-7/V2",
            "case_number": None,
            "problem": "case CCC-2026-00001: is already open (clue)",
        }
    ]

    # when the counter is restored and the officer opens its case again
    with service.store.transaction() as conn:
        conn.execute(update(case_numbers).values(last_sequence=1))
    opened = await service.command("/reconciliation/open-case", body, OFFICER)

    # then the violation has its case, from what was recorded when it was received
    assert opened["aggregate_id"] == "CCC-2026-00002"
    assert [e["event_type"] for e in opened["events"]] == ["CaseOpened"]
    assert await service.get("/reconciliation") == {
        "violations_seen": 2,
        "violations_without_case": [],
        "cases_by_status": {"clue": 2},
    }
    case = await service.get("/cases/CCC-2026-00002")
    assert (case["source"], case["violation_id"], case["status"]) == (
        "violation", "INS-7/V2", "clue",
    )  # fmt: skip
    assert (case["subject_kind"], case["subject_credit_code"], case["problem"]) == (
        "enterprise", code, "no_certificate",
    )  # fmt: skip
    # counted from the day enforcement received it: 15 working days after Monday 2 March
    assert (case["found_on"], case["opened_on"], case["register_decision_due_on"]) == (
        "2026-03-02", "2026-03-04", "2026-03-23",
    )  # fmt: skip
    figures = await service.get("/figures")
    assert (figures["violations_with_case"], figures["handling_rate"]) == (2, 1.0)

    async def published() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["aggregate_id"] == "CCC-2026-00002"]

    (message,) = await service.eventually(published)
    assert message["event_type"] == "CaseOpened"
    assert (message["data"]["source"], message["data"]["violation_id"]) == (
        "violation", "INS-7/V2",
    )  # fmt: skip
    assert (message["actor"]["id"], message["actor"]["role"]) == ("officer-3", "case_officer")

    # and a second attempt, or one for a violation with its case or never received, is refused
    events_after = service.event_count()
    for violation_id, status, detail in [
        ("INS-7/V2", 409, "violation INS-7/V2 already has case CCC-2026-00002"),
        ("INS-7/V1", 409, "violation INS-7/V1 already has case CCC-2026-00001"),
        ("INS-9/V9", 404, "violation INS-9/V9 was never received"),
    ]:
        again = {"violation_id": violation_id}
        response = await service.http.post("/reconciliation/open-case", json=again, headers=OFFICER)
        assert response.status_code == status, response.text
        assert response.json()["detail"].startswith(detail)
    assert service.event_count() == events_after
    assert [c["case_number"] for c in await service.cases_of(code)] == [
        "CCC-2026-00002", "CCC-2026-00001",
    ]  # fmt: skip
