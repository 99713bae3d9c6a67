"""The enforcement case ("100% handling"): its lifecycle, its measures and its deadlines.

| from | to | command | rule |
| --- | --- | --- | --- |
| (none) | clue | OpenCase | register or drop within 15 working days (SAMR Order 2 art 18) |
| clue | dropped | DropClue | a reason is required |
| clue | registered | RegisterCase | 立案; assigned first; within limitation (case_clock.py) |
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
The handling clock (case_clock.py): 90 natural days from registration, stopped for hearings,
tests, public notice and suspension (StopHandlingClock / RestartHandlingClock), extended by 30
days on the head's approval and beyond only by collective decision; a period ending on a day
off ends on the next working day. No decision while the clock is stopped.
APL is the Administrative Penalty Law (2021); SAMR Order 2 the SAMR administrative penalty
procedure rules. Article numbers are to be checked against the official texts.
"""

from __future__ import annotations

from datetime import date

from ccc_contracts.enforcement import (
    CaseOpened,
    PenaltyDecided,
    RectificationOrdered,
    WarningIssued,
)
from enforcement.domain import case_commands, case_events
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_clock import clock_restarted, clock_stopped, extended, registered
from enforcement.domain.case_closure import closed, deadline_missed, refusal
from enforcement.domain.case_outside import referral_answered, referred, reported
from enforcement.domain.case_state import HANDLING, Case, CaseStatus
from enforcement.domain.penalties import check_article_fits, check_penalty

REGISTER_DECISION_WORKING_DAYS = 15
WARNING_ARTICLE = "Order 117 art 37"

DECIDED: frozenset[CaseStatus] = frozenset({"decided"})
OPEN: frozenset[CaseStatus] = frozenset(
    {"clue", "referred", "registered", "investigating", "notified", "decided", "executed"}
)

ALLOWED_FROM: dict[type[case_commands.CaseCommand], frozenset[CaseStatus]] = {
    case_commands.DropClue: frozenset({"clue"}),
    case_commands.RegisterCase: frozenset({"clue"}),
    case_commands.AssignCase: OPEN,
    case_commands.StartInvestigation: frozenset({"registered"}),
    case_commands.NotifyParty: frozenset({"investigating"}),
    case_commands.ExtendDecisionDeadline: HANDLING,
    case_commands.StopHandlingClock: HANDLING,
    case_commands.RestartHandlingClock: HANDLING,
    case_commands.IssueWarning: HANDLING,
    case_commands.GiveGuidance: HANDLING,
    case_commands.OrderRectification: HANDLING | DECIDED,
    case_commands.VerifyRectification: OPEN - {"clue", "referred"},
    case_commands.DecidePenalty: frozenset({"notified", "decided"}),
    case_commands.DecideNoPenalty: frozenset({"investigating", "notified"}),
    case_commands.ExecuteDecision: frozenset({"decided"}),
    case_commands.CloseCase: frozenset({"decided", "executed"}),
    case_commands.RecordDeadlineMissed: OPEN | {"closed"},
    case_commands.ReferCase: frozenset({"clue"}),
    case_commands.AnswerReferral: frozenset({"referred"}),
    case_commands.RecordCncaReport: frozenset({"closed"}),
}


def decide(
    state: Case | None, command: case_commands.CaseCommand, today: date, calendar: WorkingCalendar
) -> list[case_events.CaseEvent]:
    """The events a command produces on this case today, or a DomainError saying why not."""
    number = command.case_number
    if isinstance(command, case_commands.OpenCase):
        if state is not None:
            raise refusal(
                number,
                f"is already open ({state.status})",
                code="case.already_open",
                fields=["case_number"],
            )
        return [opened(command, today, calendar)]
    if state is None:
        raise refusal(number, "is not open", code="case.not_open", fields=["case_number"])
    if state.status not in ALLOWED_FROM[type(command)]:
        verb = type(command).__name__
        raise refusal(number, f"cannot {verb} while {state.status}", code="case.step_not_allowed")
    if (
        isinstance(command, case_commands.DecidePenalty | case_commands.DecideNoPenalty)
        and state.clock_stopped
    ):
        reason, since = state.clock_stopped
        raise refusal(
            number,
            f"the handling clock stopped for {reason} on {since}; restart it",
            code="case.clock_stopped",
        )
    match command:
        case case_commands.DropClue():
            return [
                case_events.ClueDropped(case_number=number, reason=command.reason, dropped_on=today)
            ]
        case case_commands.RegisterCase():
            return [registered(state, command, today, calendar)]
        case case_commands.AssignCase():
            return [assigned(state, command, today)]
        case case_commands.StartInvestigation():
            return [case_events.InvestigationStarted(started_on=today, **_of(state))]
        case case_commands.NotifyParty():
            return [
                case_events.PartyNotified(
                    notified_on=today, intended=command.intended, **_of(state)
                )
            ]
        case case_commands.ExtendDecisionDeadline():
            return [extended(state, command, today, calendar)]
        case case_commands.StopHandlingClock():
            return [clock_stopped(state, command, today)]
        case case_commands.RestartHandlingClock():
            return [clock_restarted(state, command, today, calendar)]
        case case_commands.IssueWarning():
            return [
                WarningIssued(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    article=WARNING_ARTICLE,
                    content=command.content,
                    issued_on=today,
                )
            ]
        case case_commands.GiveGuidance():
            return [
                case_events.GuidanceGiven(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    content=command.content,
                    given_on=today,
                )
            ]
        case case_commands.OrderRectification():
            return [rectification_ordered(state, command, today)]
        case case_commands.VerifyRectification():
            if state.rectification_deadline is None:
                raise refusal(
                    number,
                    "has no rectification order awaiting verification",
                    code="case.no_rectification_pending",
                )
            return [
                case_events.RectificationVerified(
                    case_number=number,
                    subject_credit_code=state.subject_credit_code,
                    passed=command.passed,
                    verified_on=today,
                    remarks=command.remarks,
                    escalated_to=None if command.passed else "section_head",
                )
            ]
        case case_commands.DecidePenalty():
            return [penalty_decided(state, command, today)]
        case case_commands.DecideNoPenalty():
            if state.rectification_failed:
                raise refusal(
                    number,
                    "a failed rectification was escalated; decide a penalty",
                    code="case.penalty_required_after_failed_rectification",
                )
            return [
                case_events.NoPenaltyDecided(
                    case_number=number,
                    reason_code=command.reason_code,
                    reason=command.reason,
                    decided_on=today,
                )
            ]
        case case_commands.ExecuteDecision():
            if not state.penalties:
                raise refusal(
                    number,
                    "no penalty was decided, so there is nothing to execute",
                    code="case.no_penalty_to_execute",
                )
            return [
                case_events.DecisionExecuted(
                    executed_on=today, remarks=command.remarks, **_of(state)
                )
            ]
        case case_commands.CloseCase():
            return closed(state, today)
        case case_commands.RecordDeadlineMissed():
            return [deadline_missed(state, command, today)]
        case case_commands.ReferCase():
            return [referred(state, command, today)]
        case case_commands.AnswerReferral():
            return list(referral_answered(state, command, today, calendar))
        case case_commands.RecordCncaReport():
            return [reported(state, command, today)]
    raise AssertionError(f"no rule for {type(command).__name__}")


def _of(state: Case) -> dict[str, str]:
    """The case and its subject, as every published step names them."""
    return {"case_number": state.case_number, "subject_credit_code": state.subject_credit_code}


def opened(command: case_commands.OpenCase, today: date, calendar: WorkingCalendar) -> CaseOpened:
    """A new clue, its number checked against the year it is entered in, its deadline counted
    from the day it was found or received (SAMR Order 2 art 18: 自发现线索或者收到材料之日起)."""
    match = case_commands.CASE_NUMBER.match(command.case_number)
    if match is None or int(match.group(1)) != today.year:
        raise refusal(
            command.case_number,
            f"a case opened in {today.year} is CCC-{today.year}-…",
            code="case.number_wrong_year",
            fields=["case_number"],
        )
    found_on = command.found_on or today
    if found_on > today:
        raise refusal(
            command.case_number,
            f"a clue cannot be found on {found_on}, after today ({today})",
            code="case.clue_found_in_future",
            fields=["found_on"],
        )
    return CaseOpened(
        case_number=command.case_number,
        source=command.source,
        violation_id=command.violation_id,
        complaint_id=command.complaint_id,
        subject_kind=command.subject_kind,
        subject_credit_code=command.subject_credit_code,
        subject_staff_name=command.subject_staff_name,
        problem=command.problem,
        subject_name=command.subject_name,
        product=command.product,
        certificate_number=command.certificate_number,
        found_on=found_on,
        opened_on=today,
        register_decision_due_on=calendar.add_working_days(
            found_on, REGISTER_DECISION_WORKING_DAYS
        ),
    )


def assigned(
    state: Case, command: case_commands.AssignCase, today: date
) -> case_events.CaseAssigned:
    """An assignment, or a reassignment that keeps who had the case and why it moved."""
    if (state.department, state.officer) == (command.department, command.officer):
        raise refusal(
            state.case_number,
            f"is already assigned to {command.officer}",
            code="case.already_assigned",
            fields=["officer"],
        )
    if state.officer is not None and not command.reason:
        raise refusal(
            state.case_number,
            "a reassignment needs a reason",
            code="case.reassignment_needs_reason",
            fields=["reason"],
        )
    return case_events.CaseAssigned(
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


def rectification_ordered(
    state: Case, command: case_commands.OrderRectification, today: date
) -> RectificationOrdered:
    """An order to correct by a later day, while no other order is awaiting verification."""
    if state.rectification_deadline is not None:
        raise refusal(
            state.case_number,
            "a rectification order is still awaiting verification",
            code="case.rectification_pending",
        )
    if command.deadline <= today:
        raise refusal(
            state.case_number,
            f"a rectification deadline must be after {today}",
            code="case.rectification_deadline_not_future",
            fields=["deadline"],
        )
    return RectificationOrdered(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        requirement=command.requirement,
        ordered_on=today,
        deadline=command.deadline,
    )


def penalty_decided(
    state: Case, command: case_commands.DecidePenalty, today: date
) -> PenaltyDecided:
    """A penalty under an article that punishes the case's problem, within its range, under the
    law in force when the clue was found, once its precondition is met (penalties.py)."""
    number, document = command.decision_document_number, command.decision_document_sha256
    if command.number_used_by not in (None, state.case_number):
        raise refusal(
            state.case_number,
            f"decision number {number} is already case {command.number_used_by}'s;"
            " a decision number is unique in the bureau",
            code="case.decision_number_taken",
            fields=["decision_document_number"],
        )
    if not command.document_uploaded:
        raise refusal(
            state.case_number,
            f"no decision document {document} was uploaded; upload it (POST /documents) first",
            code="case.decision_document_missing",
            fields=["decision_document_sha256"],
        )
    # The act is judged by the law in force when it was done (or, that day unknown, when it was
    # found), or by today's where that is lighter (Administrative Penalty Law art 37).
    rule = check_penalty(
        command.basis_article, command.penalty_type, command.amount, state.act_day, today,
        command.goods_value,
    )  # fmt: skip
    check_article_fits(state.problem, rule, state.rectification_failed)
    if any(p.penalty_type == command.penalty_type for p in state.penalties):
        raise refusal(
            state.case_number,
            f"a {command.penalty_type} was already decided",
            code="case.penalty_already_decided",
            fields=["penalty_type"],
        )
    return PenaltyDecided(
        case_number=state.case_number,
        subject_credit_code=state.subject_credit_code,
        basis_article=command.basis_article,
        penalty_type=command.penalty_type,
        amount=command.amount,
        goods_value=command.goods_value,
        law_version=rule.version,
        decision_document_number=command.decision_document_number,
        decision_document_sha256=command.decision_document_sha256,
        decided_on=today,
    )
