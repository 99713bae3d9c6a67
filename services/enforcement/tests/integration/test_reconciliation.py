"""The 100% handling alarm: a violation whose case cannot be opened is kept as seen without a
case, and ``GET /reconciliation`` names it (with the reason) instead of hiding it."""

from __future__ import annotations

from typing import Any

import pytest
from enforcement_support import EnforcementService, credit_code, violation
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
