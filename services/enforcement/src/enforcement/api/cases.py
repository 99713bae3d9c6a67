"""HTTP commands on cases: open, drop, assign, register, investigate, notify, measures, decide,
execute, close, refer, extend; each appends through the one load-decide-append."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ccc_shared.runtime.http import CommandResult, assignee_only, run_command
from ccc_shared.runtime.problem import Refusal
from enforcement.api.context import CASE_NUMBER, COMMAND_RESPONSES, App, Metadata
from enforcement.api.schemas import (
    Approval,
    Assignment,
    ClockRestart,
    ClockStop,
    Content,
    ManualCase,
    NoPenalty,
    Notice,
    Penalty,
    Reason,
    Rectification,
    Referral,
    ReferralAnswer,
    Registration,
    Remarks,
    Verification,
)
from enforcement.domain.case_commands import (
    AnswerReferral,
    AssignCase,
    CaseCommand,
    CloseCase,
    DecideNoPenalty,
    DecidePenalty,
    DropClue,
    ExecuteDecision,
    ExtendDecisionDeadline,
    GiveGuidance,
    IssueWarning,
    NotifyParty,
    OrderRectification,
    ReferCase,
    RegisterCase,
    RestartHandlingClock,
    StartInvestigation,
    StopHandlingClock,
    VerifyRectification,
)
from enforcement.domain.case_state import Case

router = APIRouter(tags=["cases"])
CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER)]


def officer_of(state: Case) -> str | None:
    """The officer a case is assigned to."""
    return state.officer


def run(app: App, command: CaseCommand, metadata: Metadata) -> CommandResult:
    """Execute a case command and report the events it appended.

    Accountability: a case assigned to a named officer is handled by that officer; another
    case officer is refused (403) and nothing changes. Section heads may act on any case
    (they assign and reassign), and an unassigned clue is open to every case officer. The
    check runs on the state the command is decided on: the case is loaded once.
    """
    work = f"case {command.case_number}"
    guard = assignee_only(metadata.actor, "case_officer", work, officer_of)
    return run_command(app, command, metadata, guard=guard)


@router.post("/cases", status_code=201, responses=COMMAND_RESPONSES)
def open_manual_case(body: ManualCase, app: App, metadata: Metadata) -> CommandResult:
    """Open a clue by hand under the next case number (CCC-<year>-<sequence>), its deadlines
    counted from the day it was found or received (``found_on``, not after today)."""
    today = app.today()
    if body.found_on is not None and body.found_on > today:
        raise Refusal(
            422,
            f"found_on {body.found_on} is after today ({today})",
            code="case.clue_found_in_future",
            fields=["found_on"],
        )
    with app.store.transaction() as conn:
        number, events = app.open_case({"source": "manual", **body.model_dump()}, metadata, conn)
    return CommandResult.of("case", number, events)


@router.post("/cases/{case_number}/drop", responses=COMMAND_RESPONSES)
def drop_clue(case_number: CaseNumber, body: Reason, app: App, metadata: Metadata) -> CommandResult:
    """Decide not to register a clue, with the reason (the clue ends)."""
    return run(app, DropClue(case_number=case_number, reason=body.reason), metadata)


@router.post("/cases/{case_number}/assign", responses=COMMAND_RESPONSES)
def assign_case(
    case_number: CaseNumber, body: Assignment, app: App, metadata: Metadata
) -> CommandResult:
    """Assign (or reassign, with a reason) the case to a department and a named officer."""
    return run(app, AssignCase(case_number=case_number, **body.model_dump()), metadata)


@router.post("/cases/{case_number}/register", responses=COMMAND_RESPONSES)
def register_case(
    case_number: CaseNumber, app: App, metadata: Metadata, body: Registration | None = None
) -> CommandResult:
    """Register an assigned clue as a case (立案) within the limitation period (refused past it,
    with the dates); the decision is due 90 days later (moved off a day off)."""
    fields = body.model_dump() if body is not None else {}
    return run(app, RegisterCase(case_number=case_number, **fields), metadata)


@router.post("/cases/{case_number}/clock/stop", responses=COMMAND_RESPONSES)
def stop_handling_clock(
    case_number: CaseNumber, body: ClockStop, app: App, metadata: Metadata
) -> CommandResult:
    """Stop the handling period for a hearing, testing, inspection, quarantine, appraisal,
    public notice or suspension: that time is not counted (SAMR procedure provisions art 64)."""
    return run(app, StopHandlingClock(case_number=case_number, **body.model_dump()), metadata)


@router.post("/cases/{case_number}/clock/restart", responses=COMMAND_RESPONSES)
def restart_handling_clock(
    case_number: CaseNumber, body: ClockRestart, app: App, metadata: Metadata
) -> CommandResult:
    """Let the handling period run again; the decision deadline moves by the days stopped."""
    return run(
        app,
        RestartHandlingClock(case_number=case_number, **body.model_dump()),
        metadata,
    )


@router.post("/cases/{case_number}/investigate", responses=COMMAND_RESPONSES)
def start_investigation(case_number: CaseNumber, app: App, metadata: Metadata) -> CommandResult:
    """Begin gathering evidence on a registered case."""
    return run(app, StartInvestigation(case_number=case_number), metadata)


@router.post("/cases/{case_number}/notify", responses=COMMAND_RESPONSES)
def notify_party(
    case_number: CaseNumber, body: Notice, app: App, metadata: Metadata
) -> CommandResult:
    """Tell the party the intended penalty and its right to statement and hearing (告知)."""
    return run(app, NotifyParty(case_number=case_number, intended=body.intended), metadata)


@router.post("/cases/{case_number}/extend-decision-deadline", responses=COMMAND_RESPONSES)
def extend_decision_deadline(
    case_number: CaseNumber, body: Approval, app: App, metadata: Metadata
) -> CommandResult:
    """Extend the decision deadline: once by 30 days on the head's approval, then only by the
    heads' collective decision, which sets the new last day (SAMR procedure provisions art 64)."""
    return run(
        app,
        ExtendDecisionDeadline(case_number=case_number, **body.model_dump()),
        metadata,
    )


@router.post("/cases/{case_number}/warning", responses=COMMAND_RESPONSES)
def issue_warning(
    case_number: CaseNumber, body: Content, app: App, metadata: Metadata
) -> CommandResult:
    """Warn the subject (告诫, Order 117 art 37)."""
    return run(app, IssueWarning(case_number=case_number, content=body.content), metadata)


@router.post("/cases/{case_number}/guidance", responses=COMMAND_RESPONSES)
def give_guidance(
    case_number: CaseNumber, body: Content, app: App, metadata: Metadata
) -> CommandResult:
    """Record guidance that solved a minor problem (supervision with service)."""
    return run(app, GiveGuidance(case_number=case_number, content=body.content), metadata)


@router.post("/cases/{case_number}/rectification", responses=COMMAND_RESPONSES)
def order_rectification(
    case_number: CaseNumber, body: Rectification, app: App, metadata: Metadata
) -> CommandResult:
    """Order the subject to correct a problem by a later deadline."""
    return run(
        app,
        OrderRectification(case_number=case_number, **body.model_dump()),
        metadata,
    )


@router.post("/cases/{case_number}/rectification/verify", responses=COMMAND_RESPONSES)
def verify_rectification(
    case_number: CaseNumber, body: Verification, app: App, metadata: Metadata
) -> CommandResult:
    """Record whether the open rectification order was carried out; a failure escalates."""
    return run(
        app,
        VerifyRectification(case_number=case_number, **body.model_dump()),
        metadata,
    )


@router.post("/cases/{case_number}/penalty", responses=COMMAND_RESPONSES)
def decide_penalty(
    case_number: CaseNumber, body: Penalty, app: App, metadata: Metadata
) -> CommandResult:
    """Decide a penalty, checked against its article's range in the law in force (409 if out)."""
    return run(app, DecidePenalty(case_number=case_number, **body.model_dump()), metadata)


@router.post("/cases/{case_number}/no-penalty", responses=COMMAND_RESPONSES)
def decide_no_penalty(
    case_number: CaseNumber, body: NoPenalty, app: App, metadata: Metadata
) -> CommandResult:
    """Decide the case without a penalty (refused after a failed rectification)."""
    return run(app, DecideNoPenalty(case_number=case_number, **body.model_dump()), metadata)


@router.post("/cases/{case_number}/execute", responses=COMMAND_RESPONSES)
def execute_decision(
    case_number: CaseNumber, body: Remarks, app: App, metadata: Metadata
) -> CommandResult:
    """Record that the penalty decision was carried out."""
    return run(app, ExecuteDecision(case_number=case_number, remarks=body.remarks), metadata)


@router.post("/cases/{case_number}/close", responses=COMMAND_RESPONSES)
def close_case(case_number: CaseNumber, app: App, metadata: Metadata) -> CommandResult:
    """Close a decided (or executed) case; a penalty case's CNCA report falls due in 20 days."""
    return run(app, CloseCase(case_number=case_number), metadata)


@router.post("/cases/{case_number}/referral", responses=COMMAND_RESPONSES)
def refer_case(
    case_number: CaseNumber, body: Referral, app: App, metadata: Metadata
) -> CommandResult:
    """Refer a clue about a violator outside the jurisdiction to the bureau responsible."""
    return run(app, ReferCase(case_number=case_number, **body.model_dump()), metadata)


@router.post("/cases/{case_number}/referral/answer", responses=COMMAND_RESPONSES)
def answer_referral(
    case_number: CaseNumber, body: ReferralAnswer, app: App, metadata: Metadata
) -> CommandResult:
    """Record the referred bureau's answer: accepted closes the case, rejected reopens the clue."""
    return run(app, AnswerReferral(case_number=case_number, **body.model_dump()), metadata)
