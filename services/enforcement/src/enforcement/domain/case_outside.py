"""The case's dealings with the outside: referral to another bureau, and the CNCA report.

A violator outside the jurisdiction is referred to the bureau responsible for it (information
notification, 信息通报); that bureau's answer is recorded: accepted closes the case here,
rejected brings it back as a clue the bureau must register or drop. A closed penalty case is
reported once to the CNCA enforcement information reporting system, within 20 days of closure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ccc_contracts.enforcement import (
    CaseClosed,
    CaseReferralAnswered,
    CaseReferred,
    CaseReportedToCNCA,
)
from enforcement.domain import case_commands
from enforcement.domain.base import DomainError
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_state import Case
from enforcement.domain.cnca_report import build_report

REGISTER_DECISION_WORKING_DAYS = 15  # SAMR Order 2 art 18, as for a new clue


def referred(state: Case, command: case_commands.ReferCase, today: date) -> CaseReferred:
    """The referral of a clue to the bureau responsible for the violator."""
    return CaseReferred(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        violation_id=state.violation_id,
        problem=state.problem,
        to_jurisdiction=command.to_jurisdiction,
        reason=command.reason,
        referred_on=today,
    )


def referral_answered(
    state: Case, command: case_commands.AnswerReferral, today: date, calendar: WorkingCalendar
) -> Sequence[CaseReferralAnswered | CaseClosed]:
    """Accepted: the case closes here as referred; rejected: a clue again, 15 working days."""
    assert state.referred_to is not None
    answer = CaseReferralAnswered(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        to_jurisdiction=state.referred_to,
        accepted=command.accepted,
        remarks=command.remarks,
        answered_on=today,
        register_decision_due_on=None
        if command.accepted
        else calendar.add_working_days(today, REGISTER_DECISION_WORKING_DAYS),
    )
    if not command.accepted:
        return [answer]
    closure = CaseClosed(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        outcome="referred",
        closed_on=today,
        report_due_on=today,
        opened_on=state.opened_on,
        report_required=False,
    )
    return [answer, closure]


def reported(
    state: Case, command: case_commands.RecordCncaReport, today: date
) -> CaseReportedToCNCA:
    """What was sent to the CNCA for a closed penalty case, once; late if past its due day."""
    if state.reported_on is not None:
        raise DomainError(
            f"case {state.case_number}: reported to the CNCA on {state.reported_on}",
            code="case.already_reported",
        )
    report = build_report(state, command.case_description, command.decision_document_file)
    document = report.penalty_decision_document
    return CaseReportedToCNCA(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        case_source=report.case_source,
        case_information=report.case_information,
        penalty_basis=report.penalty_basis,
        penalty_type=report.penalty_type,
        penalty_amount=report.penalty_amount,
        case_description=report.case_description,
        decision_document_number=document.number,
        decision_document_sha256=document.sha256,
        decision_document_file=document.file_reference,
        sent_at=command.sent_at,
        reported_on=today,
        report_due_on=report.due_on,
        late=today > report.due_on,
        receipt=command.receipt,
        report_document_sha256=command.report_document_sha256,
    )
