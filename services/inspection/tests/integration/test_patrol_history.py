"""The "100% patrols" figure per department over the months, as the section head reads it.

Patrols due in March (done on time by the 稽查科), April (done five days late) and May (not yet
assigned, still open), and one cancelled in May: the months run oldest first, a cancelled
patrol is not counted, and a late one is due but not done as planned.
"""

from __future__ import annotations

from datetime import date

import pytest
from inspection_support import (
    HEAD,
    INSPECTOR,
    InspectionService,
    credit_code,
    plan,
    record,
    started,
)

pytestmark = pytest.mark.integration


async def patrol(service: InspectionService, due_on: str) -> str:
    scheduled = await service.command("/inspections", plan(credit_code(), due_on=due_on), role=HEAD)
    return str(scheduled["aggregate_id"])


async def completed_on(service: InspectionService, inspection_id: str, day: date) -> None:
    await started(service, inspection_id)
    service.clock.moved_to = day
    await service.command(f"/inspections/{inspection_id}/complete", record(), role=INSPECTOR)


async def test_patrols_due_each_month_and_those_done_as_planned_per_department(
    service: InspectionService,
) -> None:
    service.clock.moved_to = date(2026, 3, 2)
    on_time, late = await patrol(service, "2026-03-10"), await patrol(service, "2026-04-10")
    await patrol(service, "2026-05-11")
    cancelled = await patrol(service, "2026-05-20")
    await service.command(f"/inspections/{cancelled}/cancel", {"reason": "企业已注销"}, role=HEAD)
    await completed_on(service, on_time, date(2026, 3, 9))
    await completed_on(service, late, date(2026, 4, 15))
    service.clock.moved_to = date(2026, 5, 4)

    history = await service.read("/figures/patrol-history", role=HEAD, months=3)

    assert history["months"] == ["2026-03", "2026-04", "2026-05"]
    assert [
        (row["department"], [(m["total"], m["done"]) for m in row["months"]], row["done"])
        for row in history["rows"]
    ] == [
        ("稽查科", [(1, 1), (1, 0), (0, 0)], 1),
        (None, [(0, 0), (0, 0), (1, 0)], 0),
    ]
