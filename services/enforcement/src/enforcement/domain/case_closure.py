"""Closing a case and recording its missed deadlines (see ``cases`` for the whole machine).

A case closes only when nothing is left unhandled: no rectification order awaiting
verification, a failed rectification answered by a penalty, a penalty executed. Closure of a
penalty case starts the 20-day CNCA report deadline (``CaseReportDue``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ccc_contracts.enforcement import CaseClosed, CaseReportDue, DeadlineMissed
from enforcement.domain import case_commands, case_events
from enforcement.domain.base import DomainError
from enforcement.domain.case_deadlines import missed
from enforcement.domain.case_state import REPORT_DAYS, Case


def refusal(number: str, message: str, *, code: str, fields: Sequence[str] = ()) -> DomainError:
    """A domain error naming the case it is about; ``code`` names the rule."""
    return DomainError(f"case {number}: {message}", code=code, fields=fields)


def closed(state: Case, today: date) -> list[case_events.CaseEvent]:
    """Closure, and for a penalty case the CNCA report due 20 days later."""
    number = state.case_number
    if state.rectification_deadline is not None:
        raise refusal(
            number,
            "a rectification order is still awaiting verification",
            code="case.rectification_pending",
        )
    if state.rectification_failed and not state.penalties:
        raise refusal(
            number,
            "a failed rectification was escalated; decide a penalty",
            code="case.penalty_required_after_failed_rectification",
        )
    if state.penalties and state.status != "executed":
        raise refusal(
            number, "the penalty decision has not been executed", code="case.penalty_not_executed"
        )
    due = today + REPORT_DAYS
    closure = CaseClosed(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        outcome=state.outcome(),
        closed_on=today,
        report_due_on=due,
        opened_on=state.opened_on,
        report_required=bool(state.penalties),
    )
    if not state.penalties:
        return [closure]
    report = CaseReportDue(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        closed_on=today,
        report_due_on=due,
    )
    return [closure, report]


def deadline_missed(
    state: Case, command: case_commands.RecordDeadlineMissed, today: date
) -> DeadlineMissed:
    """A missed deadline, refused unless it really passed and was not yet recorded."""
    if not any(
        (d.kind, d.due_on) == (command.deadline, command.due_on) for d in missed(state, today)
    ):
        raise refusal(
            state.case_number,
            f"{command.deadline} due {command.due_on} is not missed",
            code="case.deadline_not_missed",
            fields=["deadline", "due_on"],
        )
    return DeadlineMissed(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        deadline=command.deadline,
        due_on=command.due_on,
        noticed_on=today,
    )
