"""What the law allows at each step of a case, as the console shows it beside each form.

A clue about a misused 3C mark, found on 2026-03-02 (a Monday): the procedure allows assigning,
registering or dropping it, not yet a penalty; its problem may be punished under Order 117
art 53 para 2 (up to 30,000) or art 55 (up to 20,000, only after a failed rectification), and
its register decision is due 15 working days later, on 2026-03-23.
"""

from __future__ import annotations

import pytest
from enforcement_support import HEAD, OFFICER, EnforcementService, credit_code

pytestmark = pytest.mark.integration


async def test_each_step_says_its_basis_and_whether_it_is_allowed_now(
    service: EnforcementService,
) -> None:
    body = {"subject_credit_code": credit_code(), "problem": "mark_misuse"}
    number = (await service.command("/cases", body))["aggregate_id"]

    law = await service.get(f"/cases/{number}/law", headers=OFFICER)

    allowed = {path for path, step in law["steps"].items() if step["allowed_now"]}
    assert allowed == {"assign", "register", "drop"}
    register = law["steps"]["register"]
    assert "Administrative Penalty Law 2021 (行政处罚法) art 36 para 1" in register["basis"]
    assert "15个工作日内决定是否立案" in register["rule_zh"]
    assert law["steps"]["penalty"]["allowed_from"] == ["decided", "notified"]
    assert [
        (a["article"], a["fine_min"], a["fine_max"], a["precondition"], a["precondition_met"])
        for a in law["penalty_articles"]
    ] == [
        ("Order 117 art 53 para 2", 1, 30_000, "none", True),
        ("Order 117 art 55", 1, 20_000, "rectification_missed", False),
    ]
    assert law["penalty_articles"][0]["version"] == "Order 117 (2022 amendment)"
    assert law["clock"]["register_decision_due_on"] == "2026-03-23"
    assert law["judged_on"] == "2026-03-02"


async def test_the_law_of_a_case_that_does_not_exist_is_a_404(service: EnforcementService) -> None:
    missing = await service.http.get("/cases/CCC-2026-99999/law", headers=HEAD)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "case CCC-2026-99999 is not open"
