"""HTTP: what the law allows at each step of one case (read-only), from the service's own tables.

For the case as it stands: each step's basis and whether the procedure allows it now
(``ALLOWED_FROM``), the penalty articles its problem may be punished under as in force on the
day of the act (types, fine range, the goods' value below which a fine is at most twice it,
precondition and whether it is met), and its clock.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path

from enforcement.api.context import CASE_NUMBER, App
from enforcement.domain.penalties import PENALTY_TABLE, PROBLEM_ARTICLES, RECTIFICATION_MISSED
from enforcement.domain.step_law import STEP_LAW
from enforcement.projections import queries

router = APIRouter(tags=["cases"])
CLOCK = ("found_on", "registered_on", "register_decision_due_on", "decision_due_on", "extended",
         "clock_stopped_for", "clock_stopped_on", "days_not_counted", "rectification_deadline",
         "violation_on",
         "closed_on", "report_due_on", "reported_on", "next_due_on", "overdue")  # fmt: skip


@router.get("/cases/{case_number}/law", responses={404: {"description": "No such case"}})
def case_law(case_number: Annotated[str, Path(pattern=CASE_NUMBER)], app: App) -> dict[str, Any]:
    """Each step's legal basis and whether it is allowed now; the penalty articles; the clock."""
    with app.store.reading() as conn:
        row = queries.get_case(conn, case_number, app.today())
    if row is None:
        raise HTTPException(404, f"case {case_number} is not open")
    # the law in force when the act was done (or, unknown, when it was found): Administrative
    # Penalty Law art 37; a lighter law on the day of the decision is applied then (penalties.py)
    judged_on = row.get("violation_on") or row["found_on"] or row["opened_on"]
    articles = [
        {
            "article": rule.article, "version": rule.version, "refers_to": rule.refers_to,
            "types": sorted(rule.types), "fine_min": rule.fine_min, "fine_max": rule.fine_max,
            "fine_range": rule.fine_range(), "small_value_below": rule.small_value_below,
            "precondition": rule.precondition,
            "precondition_met": rule.precondition != RECTIFICATION_MISSED
            or bool(row["rectification_failed"]),
        }
        for article in PROBLEM_ARTICLES[row["problem"]]
        for rule in PENALTY_TABLE
        if rule.article == article and rule.in_force_on(judged_on)
    ]  # fmt: skip
    steps = {
        path: {
            "basis": list(law.basis), "rule": law.rule, "rule_zh": law.rule_zh,
            "allowed_from": law.allowed_from(), "allowed_now": row["status"] in law.allowed_from(),
        }
        for path, law in STEP_LAW.items()
    }  # fmt: skip
    return {
        "case_number": case_number, "status": row["status"], "problem": row["problem"],
        "judged_on": judged_on, "steps": steps, "penalty_articles": articles,
        "clock": {key: row.get(key) for key in CLOCK},
    }  # fmt: skip
