"""The "100% handling" figure per department over the months, as the section head reads it.

On 2026-03-02: a clue found in January and registered by the 稽查科, one found in February and
still waiting for its register decision, one found in March and dropped with a reason by the
二科; a clue from last year is before the window. The month labels run oldest first.
"""

from __future__ import annotations

import pytest
from enforcement_support import HEAD, EnforcementService, credit_code, handled

pytestmark = pytest.mark.integration


async def clue(service: EnforcementService, found_on: str) -> str:
    body = {"subject_credit_code": credit_code(), "problem": "no_certificate", "found_on": found_on}
    return str((await service.command("/cases", body))["aggregate_id"])


async def test_problems_found_each_month_and_those_handled_per_department(
    service: EnforcementService,
) -> None:
    await clue(service, "2025-06-30")  # outside the 3 months asked for
    await handled(service, await clue(service, "2026-01-20"))  # 稽查科, registered
    await clue(service, "2026-02-10")  # nobody assigned, waiting
    dropped = await clue(service, "2026-03-02")
    assignment = {"department": "二科", "officer": "officer-9", "officer_name": "孙丽"}
    await service.command(f"/cases/{dropped}/assign", assignment, HEAD)
    await service.command(f"/cases/{dropped}/drop", {"reason": "经核查不属于目录产品"}, HEAD)

    history = await service.get("/figures/handling-history", headers=HEAD, months=3)

    assert history["months"] == ["2026-01", "2026-02", "2026-03"]
    assert [
        (row["department"], [(m["total"], m["done"]) for m in row["months"]])
        for row in history["rows"]
    ] == [
        ("二科", [(0, 0), (0, 0), (1, 1)]),
        ("稽查科", [(1, 1), (0, 0), (0, 0)]),
        (None, [(0, 0), (1, 0), (0, 0)]),
    ]


async def test_a_window_of_no_months_or_too_many_is_refused(service: EnforcementService) -> None:
    for months in (0, 25):
        refused = await service.http.get(
            "/figures/handling-history", params={"months": months}, headers=HEAD
        )
        assert refused.status_code == 422
