"""The enforcement case ("100% handling"): its lifecycle, its measures and its deadlines.

| from | to | command | rule |
| --- | --- | --- | --- |
| (none) | clue | OpenCase | register or drop within 15 working days (SAMR Order 2 art 18) |
| clue | dropped | DropClue | a reason is required |
| clue | registered | RegisterCase | 立案; assigned first; decide within 90 days (APL art 60) |
| registered | investigating | StartInvestigation | |
| investigating | notified | NotifyParty | 告知 before any penalty (APL art 44) |
| investigating, notified | decided | DecideNoPenalty | not after a failed rectification |
| notified, decided | decided | DecidePenalty | within its article's range (penalties.py) |
| decided | executed | ExecuteDecision | only after a penalty |
| decided, executed | closed | CloseCase | executed if penalised; no rectification open |
| clue | referred | ReferCase | violator outside the jurisdiction (case_outside.py) |
| referred | closed / clue | AnswerReferral | accepted closes here; rejected is a clue again |
| closed | closed | RecordCncaReport | a penalty case, once (case_outside.py) |

Measures while registered, investigating or notified: IssueWarning (Order 117 art 37),
GiveGuidance, OrderRectification (also once decided, to go with an order to correct) and
VerifyRectification; a failed verification escalates: the case can then only end in a penalty.
The 90 days are natural days (the law says 日, not 工作日), +30 once on a recorded approval.
APL is the Administrative Penalty Law (2021); SAMR Order 2 the SAMR administrative penalty
procedure rules. Article numbers are to be checked against the official texts.
"""

from __future__ import annotations

from datetime import date, timedelta

from ccc_shared.contracts.enforcement import (
    CaseOpened,
    PenaltyDecided,
    RectificationOrdered,
    WarningIssued,
)
from enforcement.domain import case_commands as c
from enforcement.domain import case_events as e
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_closure import closed, deadline_missed, refusal
from enforcement.domain.case_outside import referral_answered, referred, reported
from enforcement.domain.case_state import HANDLING, Case, CaseStatus
from enforcement.domain.penalties import check_penalty

REGISTER_DECISION_WORKING_DAYS = 15
DECISION_DAYS = timedelta(days=90)
EXTENSION_DAYS = timedelta(days=30)
WARNING_ARTICLE = "Order 117 art 37"

DECIDED: frozenset[CaseStatus] = frozenset({"decided"})
OPEN: frozenset[CaseStatus] = frozenset(
    {"clue", "referred", "registered", "investigating", "notified", "decided", "executed"}
)

ALLOWED_FROM: dict[type[c.CaseCommand], frozenset[CaseStatus]] = {
    c.DropClue: frozenset({"clue"}),
    c.RegisterCase: frozenset({"clue"}),
    c.AssignCase: OPEN,
    c.StartInvestigation: frozenset({"registered"}),
    c.NotifyParty: frozenset({"investigating"}),
    c.ExtendDecisionDeadline: HANDLING,
    c.IssueWarning: HANDLING,
    c.GiveGuidance: HANDLING,
    c.OrderRectification: HANDLING | DECIDED,
    c.VerifyRectification: OPEN - {"clue", "referred"},
    c.DecidePenalty: frozenset({"notified", "decided"}),
    c.DecideNoPenalty: frozenset({"investigating", "notified"}),
    c.ExecuteDecision: frozenset({"decided"}),
    c.CloseCase: frozenset({"decided", "executed"}),
    c.RecordDeadlineMissed: OPEN | {"closed"},
    c.ReferCase: frozenset({"clue"}),
    c.AnswerReferral: frozenset({"referred"}),
    c.RecordCncaReport: frozenset({"closed"}),
}


def decide(
    state: Case | None, command: c.CaseCommand, today: date, calendar: WorkingCalendar
) -> list[e.CaseEvent]:
    """The events a command produces on this case today, or a DomainError saying why not."""
    number = command.case_number
    if isinstance(command, c.OpenCase):
        if state is not None:
            raise refusal(number, f"is already open ({state.status})")
        return [opened(command, today, calendar)]
    if state is None:
        raise refusal(number, "is not open")
    if state.status not in ALLOWED_FROM[type(command)]:
        verb = type(command).__name__
        raise refusal(number, f"cannot {verb} while {state.status}")
    match command:
        case c.DropClue():
            return [e.ClueDropped(case_number=number, reason=command.reason, dropped_on=today)]
        case c.RegisterCase():
            if state.officer is None:
                raise refusal(number, "is assigned to no officer; assign it before registering")
            due = today + DECISION_DAYS
            return [e.CaseRegistered(case_number=number, registered_on=today, decision_due_on=due)]
        case c.AssignCase():
            return [assigned(state, command, today)]
        case c.StartInvestigation():
            return [e.InvestigationStarted(case_number=number, started_on=today)]
        case c.NotifyParty():
            return [
                e.PartyNotified(case_number=number, notified_on=today, intended=command.intended)
            ]
        case c.ExtendDecisionDeadline():
            return [extended(state, command, today)]
        case c.IssueWarning():
            return [
                WarningIssued(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    article=WARNING_ARTICLE,
                    content=command.content,
                    issued_on=today,
                )
            ]
        case c.GiveGuidance():
            return [
                e.GuidanceGiven(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    content=command.content,
                    given_on=today,
                )
            ]
        case c.OrderRectification():
            return [rectification_ordered(state, command, today)]
        case c.VerifyRectification():
            if state.rectification_deadline is None:
                raise refusal(number, "has no rectification order awaiting verification")
            return [
                e.RectificationVerified(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    passed=command.passed,
                    verified_on=today,
                    remarks=command.remarks,
                    escalated_to=None if command.passed else "section_head",
                )
            ]
        case c.DecidePenalty():
            return [penalty_decided(state, command, today)]
        case c.DecideNoPenalty():
            if state.rectification_failed:
                raise refusal(number, "a failed rectification was escalated; decide a penalty")
            return [
                e.NoPenaltyDecided(
                    case_number=number,
                    reason_code=command.reason_code,
                    reason=command.reason,
                    decided_on=today,
                )
            ]
        case c.ExecuteDecision():
            if not state.penalties:
                raise refusal(number, "no penalty was decided, so there is nothing to execute")
            return [
                e.DecisionExecuted(case_number=number, executed_on=today, remarks=command.remarks)
            ]
        case c.CloseCase():
            return closed(state, today)
        case c.RecordDeadlineMissed():
            return [deadline_missed(state, command, today)]
        case c.ReferCase():
            return [referred(state, command, today)]
        case c.AnswerReferral():
            return list(referral_answered(state, command, today, calendar))
        case c.RecordCncaReport():
            return [reported(state, command, today)]
    raise AssertionError(f"no rule for {type(command).__name__}")


def opened(command: c.OpenCase, today: date, calendar: WorkingCalendar) -> CaseOpened:
    """A new clue, its number checked against the year it is opened in."""
    match = c.CASE_NUMBER.match(command.case_number)
    if match is None or int(match.group(1)) != today.year:
        raise refusal(command.case_number, f"a case opened in {today.year} is CCC-{today.year}-…")
    return CaseOpened(
        case_number=command.case_number,
        source=command.source,
        violation_id=command.violation_id,
        complaint_id=command.complaint_id,
        subject_kind=command.subject_kind,
        subject_credit_code=command.subject_credit_code,
        subject_staff_name=command.subject_staff_name,
        problem=command.problem,
        opened_on=today,
        register_decision_due_on=calendar.add_working_days(today, REGISTER_DECISION_WORKING_DAYS),
    )


def assigned(state: Case, command: c.AssignCase, today: date) -> e.CaseAssigned:
    """An assignment, or a reassignment that keeps who had the case and why it moved."""
    if (state.department, state.officer) == (command.department, command.officer):
        raise refusal(state.case_number, f"is already assigned to {command.officer}")
    if state.officer is not None and not command.reason:
        raise refusal(state.case_number, "a reassignment needs a reason")
    return e.CaseAssigned(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        department=command.department,
        officer=command.officer,
        officer_name=command.officer_name,
        previous_department=state.department,
        previous_officer=state.officer,
        reason=command.reason,
        assigned_on=today,
    )


def extended(state: Case, command: c.ExtendDecisionDeadline, today: date) -> e.CaseEvent:
    """The decision deadline moved once by 30 days, on an approval."""
    if state.extended or state.decision_due_on is None:
        raise refusal(state.case_number, "the decision deadline can be extended only once")
    return e.DecisionDeadlineExtended(
        case_number=state.case_number,
        approved_by=command.approved_by,
        approval_reference=command.approval_reference,
        extended_on=today,
        decision_due_on=state.decision_due_on + EXTENSION_DAYS,
    )


def rectification_ordered(
    state: Case, command: c.OrderRectification, today: date
) -> RectificationOrdered:
    """An order to correct by a later day, while no other order is awaiting verification."""
    if state.rectification_deadline is not None:
        raise refusal(state.case_number, "a rectification order is still awaiting verification")
    if command.deadline <= today:
        raise refusal(state.case_number, f"a rectification deadline must be after {today}")
    return RectificationOrdered(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        requirement=command.requirement,
        ordered_on=today,
        deadline=command.deadline,
    )


def penalty_decided(state: Case, command: c.DecidePenalty, today: date) -> PenaltyDecided:
    """A penalty within its article, under the law in force when the case was opened."""
    # The act is judged by the law in force when it was found; the opening day stands for it.
    check_penalty(command.basis_article, command.penalty_type, command.amount, state.opened_on)
    if any(p.penalty_type == command.penalty_type for p in state.penalties):
        raise refusal(state.case_number, f"a {command.penalty_type} was already decided")
    return PenaltyDecided(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        basis_article=command.basis_article,
        penalty_type=command.penalty_type,
        amount=command.amount,
        decision_document_number=command.decision_document_number,
        decision_document_sha256=command.decision_document_sha256,
        decided_on=today,
    )
