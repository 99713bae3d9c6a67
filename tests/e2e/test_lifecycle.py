"""The seed's lifecycle end to end, through the four services as separate processes.

A certification body suspends a certificate; the inspection service schedules a surprise
inspection; the inspector finds production going on; that is a violation, and so on down the
chain. Every step is asserted through the services' HTTP APIs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from e2e_system import System

from ccc_shared.demo.jurisdiction import build_jurisdiction
from ccc_shared.demo.load import load_jurisdiction

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def test_suspended_certificate_leads_to_a_surprise_inspection(system: System) -> None:
    registry, inspection = system.client("enterprise-registry"), system.client("inspection")
    jurisdiction = build_jurisdiction(8, today=date.today())
    assert load_jurisdiction(registry, jurisdiction) > 8
    holder = next(e for e in jurisdiction.enterprises if e.certificates)
    number = holder.certificates[0]["number"]

    registry.post(
        f"/certificates/{number}/suspend",
        {"reason_code": "follow_up_refused_or_failed", "reason": "工厂检查不合格"},
    )

    def surprise() -> dict[str, Any] | None:
        found = inspection.get(f"/inspections?enterprise={holder.credit_code}")
        items = found["items"] if isinstance(found, dict) else found
        return next((i for i in items if i["kind"] == "surprise"), None)

    scheduled = system.eventually(surprise)
    assert number in scheduled["cause"]
