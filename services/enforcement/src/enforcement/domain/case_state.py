"""The case's state, rebuilt from its events: where it stands, who has it, what was decided."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from ccc_contracts.enforcement import (
    CaseAssigned,
    CaseClosed,
    CaseOpened,
    CaseProblem,
    CaseReferralAnswered,
    CaseReferred,
    CaseReportDue,
    CaseReportedToCNCA,
    CaseSource,
    ClockStopReason,
    DeadlineMissed,
    GuidanceGiven,
    HandlingClockRestarted,
    HandlingClockStopped,
    PenaltyDecided,
    RectificationOrdered,
    RectificationVerified,
    SubjectKind,
    WarningIssued,
)
from enforcement.domain import case_events
from enforcement.domain.base import DomainError, State

CaseStatus = Literal[
    "clue",
    "referred",
    "registered",
    "investigating",
    "notified",
    "decided",
    "executed",
    "closed",
    "dropped",
]
FINAL: frozenset[CaseStatus] = frozenset({"closed", "dropped"})
HANDLING: frozenset[CaseStatus] = frozenset({"registered", "investigating", "notified"})
REPORT_DAYS = timedelta(days=20)  # seed: report within 20 days (日, natural days) after closure


class Case(State):
    """One enforcement case as its events describe it."""

    case_number: str
    source: CaseSource
    violation_id: str | None
    complaint_id: str | None
    subject_kind: SubjectKind
    subject_credit_code: str
    subject_staff_name: str | None
    problem: CaseProblem
    subject_name: str | None = None
    product: str | None = None
    certificate_number: str | None = None
    status: CaseStatus
    found_on: date  # the day the clue was found or received: its deadlines count from it
    opened_on: date  # the day it was entered
    register_decision_due_on: date
    registered_on: date | None = None
    decision_due_on: date | None = None
    decision_period_ends_on: date | None = None  # its last counted day, before a day-off move
    extended: bool = False
    extensions: int = 0
    clock_stopped: tuple[ClockStopReason, date] | None = None  # why and since when
    days_not_counted: int = 0
    violation_on: date | None = None
    department: str | None = None
    officer: str | None = None
    officer_name: str | None = None
    reassignments: int = 0
    warnings: int = 0
    guidance: int = 0
    rectification_deadline: date | None = None  # an order awaiting verification
    rectification_ordered_on: date | None = None  # the day that order was given
    rectification_failed: bool = False
    penalties: tuple[PenaltyDecided, ...] = ()
    no_penalty_reason: str | None = None
    closed_on: date | None = None
    missed: frozenset[tuple[str, date]] = frozenset()
    referred_to: str | None = None  # the jurisdiction a referral is with or was accepted by
    referral_accepted: bool = False
    reported_on: date | None = None  # the day the CNCA report was sent

    @property
    def act_day(self) -> date:
        """The day of the act, whose law judges it (Administrative Penalty Law art 37); unknown,
        the day it was found, the latest it can have been."""
        return self.violation_on or self.found_on

    def outcome(self) -> str:
        """How the case ended (or will): ``penalty``, ``referred`` or the reason for no penalty."""
        if self.penalties:
            return "penalty"
        if self.referral_accepted:
            return "referred"
        return self.no_penalty_reason or "undecided"

    def report_due_on(self) -> date | None:
        """The last day of the CNCA report of a closed penalty case (None if none is owed)."""
        if self.status != "closed" or not self.penalties or self.closed_on is None:
            return None
        return self.closed_on + REPORT_DAYS


def evolve(state: Case | None, event: case_events.CaseEvent) -> Case:
    """The case after one of its events."""
    if isinstance(event, CaseOpened):
        return Case(
            case_number=event.case_number,
            source=event.source,
            violation_id=event.violation_id,
            complaint_id=event.complaint_id,
            subject_kind=event.subject_kind,
            subject_credit_code=event.subject_credit_code,
            subject_staff_name=event.subject_staff_name,
            problem=event.problem,
            subject_name=event.subject_name,
            product=event.product,
            certificate_number=event.certificate_number,
            status="clue",
            found_on=event.found_on,
            opened_on=event.opened_on,
            register_decision_due_on=event.register_decision_due_on,
        )
    if state is None:
        raise DomainError(
            f"case {event.case_number}: event before it was opened", code="event.out_of_order"
        )
    match event:
        case case_events.ClueDropped():
            return state.model_copy(update={"status": "dropped", "closed_on": event.dropped_on})
        case case_events.CaseRegistered():
            update = {
                "registered_on": event.registered_on,
                "decision_due_on": event.decision_due_on,
                "decision_period_ends_on": event.period_ends_on or event.decision_due_on,
                "violation_on": event.violation_on,
            }
            return state.model_copy(update={"status": "registered", **update})
        case HandlingClockStopped():
            return state.model_copy(update={"clock_stopped": (event.reason, event.stopped_on)})
        case HandlingClockRestarted():
            assert state.decision_period_ends_on is not None
            ends = state.decision_period_ends_on + timedelta(days=event.days_not_counted)
            return state.model_copy(
                update={
                    "clock_stopped": None,
                    "days_not_counted": state.days_not_counted + event.days_not_counted,
                    "decision_period_ends_on": ends,
                    "decision_due_on": event.decision_due_on,
                }
            )
        case CaseAssigned():
            moved = state.officer is not None
            return state.model_copy(
                update={
                    "department": event.department,
                    "officer": event.officer,
                    "officer_name": event.officer_name,
                    "reassignments": state.reassignments + moved,
                }
            )
        case CaseReferred():
            return state.model_copy(
                update={"status": "referred", "referred_to": event.to_jurisdiction}
            )
        case CaseReferralAnswered():
            if event.accepted:
                return state.model_copy(update={"referral_accepted": True})
            due = event.register_decision_due_on or state.register_decision_due_on
            return state.model_copy(
                update={"status": "clue", "referred_to": None, "register_decision_due_on": due}
            )
        case CaseReportedToCNCA():
            return state.model_copy(update={"reported_on": event.reported_on})
        case case_events.InvestigationStarted():
            return state.model_copy(update={"status": "investigating"})
        case case_events.PartyNotified():
            return state.model_copy(update={"status": "notified"})
        case case_events.DecisionDeadlineExtended():
            return state.model_copy(
                update={
                    "extended": True,
                    "extensions": state.extensions + 1,
                    "decision_due_on": event.decision_due_on,
                    "decision_period_ends_on": event.period_ends_on or event.decision_due_on,
                }
            )
        case WarningIssued():
            return state.model_copy(update={"warnings": state.warnings + 1})
        case GuidanceGiven():
            return state.model_copy(update={"guidance": state.guidance + 1})
        case RectificationOrdered():
            return state.model_copy(
                update={
                    "rectification_deadline": event.deadline,
                    "rectification_ordered_on": event.ordered_on,
                }
            )
        case RectificationVerified():
            failed = state.rectification_failed or not event.passed
            return state.model_copy(
                update={
                    "rectification_deadline": None,
                    "rectification_ordered_on": None,
                    "rectification_failed": failed,
                }
            )
        case PenaltyDecided():
            return state.model_copy(
                update={"status": "decided", "penalties": (*state.penalties, event)}
            )
        case case_events.NoPenaltyDecided():
            return state.model_copy(
                update={"status": "decided", "no_penalty_reason": event.reason_code}
            )
        case case_events.DecisionExecuted():
            return state.model_copy(update={"status": "executed"})
        case CaseClosed():
            return state.model_copy(update={"status": "closed", "closed_on": event.closed_on})
        case CaseReportDue():
            return state
        case DeadlineMissed():
            return state.model_copy(
                update={"missed": state.missed | {(event.deadline, event.due_on)}}
            )
    raise AssertionError(f"no rule for {type(event).__name__}")


def replay(events: Iterable[case_events.CaseEvent]) -> Case | None:
    """The case its events describe (None before it is opened)."""
    state: Case | None = None
    for event in events:
        state = evolve(state, event)
    return state
