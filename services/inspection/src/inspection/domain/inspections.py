"""The Inspection aggregate: every on-site check of an enterprise, from plan to patrol record.

| from | to | command |
| --- | --- | --- |
| (none) | scheduled | ScheduleInspection (due on or after today) |
| scheduled, assigned | assigned | AssignInspection (department and named inspector) |
| assigned | started | StartInspection |
| started | completed | CompleteInspection (every area answered, assignee among the inspectors) |
| scheduled, assigned, started | cancelled | CancelInspection (with a reason) |

Completed and cancelled are final. Completing also raises the record's findings
(``findings.check``): each violation and minor finding is an event of the inspection. A
``rectification_check`` names the case whose order it verifies; completing it also reports
``RectificationChecked``, passed exactly when the record shows no violation and no
nonconforming area (``rectification_passed``).
An open inspection past its due date is overdue (``is_overdue``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from ccc_contracts.inspection import (
    FindingRecorded,
    InspectionCancelled,
    InspectionCompleted,
    InspectionKind,
    InspectionScheduled,
    RectificationChecked,
    ViolationFound,
)

from . import findings
from .base import DomainError, State
from .inspection_commands import (
    AREA_TITLES,
    AREAS,
    AssignInspection,
    CancelInspection,
    CompleteInspection,
    InspectionCommand,
    PatrolRecord,
    ScheduleInspection,
    StartInspection,
)
from .inspection_events import InspectionAssigned, InspectionEvent, InspectionStarted

InspectionStatus = Literal["scheduled", "assigned", "started", "completed", "cancelled"]
OPEN: frozenset[InspectionStatus] = frozenset({"scheduled", "assigned", "started"})

# The statuses each command may start from; from any other it is an illegal transition.
ALLOWED_FROM: dict[type[InspectionCommand], tuple[frozenset[InspectionStatus], str]] = {
    AssignInspection: (frozenset({"scheduled", "assigned"}), "assign"),
    StartInspection: (frozenset({"assigned"}), "start"),
    CompleteInspection: (frozenset({"started"}), "complete"),
    CancelInspection: (OPEN, "cancel"),
}


class Inspection(State):
    """One inspection: what, of whom, by whom, when due, and where it stands."""

    inspection_id: str
    enterprise_credit_code: str
    kind: InspectionKind
    status: InspectionStatus
    scheduled_on: date
    due_on: date
    cause: str = ""
    certification_body: str | None = None
    case_number: str | None = None
    department: str | None = None
    inspector: str | None = None
    inspector_id: str | None = None
    started_on: date | None = None
    closed_on: date | None = None
    cancel_reason: str | None = None
    violations: tuple[str, ...] = ()
    minor_findings: tuple[str, ...] = ()


def decide(
    state: Inspection | None, command: InspectionCommand, today: date
) -> list[InspectionEvent]:
    """The events a command produces on this inspection today, or a DomainError saying why not."""
    if isinstance(command, ScheduleInspection):
        return [scheduled(state, command, today)]
    if state is None:
        raise DomainError(
            f"inspection {command.inspection_id}: is not scheduled",
            code="inspection.not_scheduled",
            fields=["inspection_id"],
        )
    allowed, verb = ALLOWED_FROM[type(command)]
    if state.status not in allowed:
        raise refusal(
            state,
            f"cannot {verb} an inspection that is {state.status}",
            code="inspection.status_not_allowed",
        )
    match command:
        case AssignInspection():
            return [
                InspectionAssigned(
                    inspection_id=state.inspection_id,
                    department=command.department,
                    inspector=command.inspector,
                    inspector_id=command.inspector_id,
                    assigned_on=today,
                )
            ]
        case StartInspection():
            return [InspectionStarted(inspection_id=state.inspection_id, started_on=today)]
        case CompleteInspection():
            return completed(state, command, today)
        case CancelInspection():
            return [
                InspectionCancelled(
                    inspection_id=state.inspection_id,
                    enterprise_credit_code=state.enterprise_credit_code,
                    kind=state.kind,
                    cancelled_on=today,
                    reason=command.reason,
                )
            ]
    raise AssertionError(f"no rule for {type(command).__name__}")


def refusal(
    state: Inspection, message: str, *, code: str, fields: Sequence[str] = ()
) -> DomainError:
    """A domain error naming the inspection it is about; ``code`` names the rule."""
    return DomainError(f"inspection {state.inspection_id}: {message}", code=code, fields=fields)


def scheduled(
    state: Inspection | None, command: ScheduleInspection, today: date
) -> InspectionScheduled:
    """Plan the inspection, refusing a second plan, a past due date or a misplaced body."""
    refused = f"inspection {command.inspection_id}: {{}}".format
    if state is not None:
        raise DomainError(
            refused(f"is already scheduled ({state.kind}, {state.status})"),
            code="inspection.already_scheduled",
            fields=["inspection_id"],
        )
    if command.due_on < today:
        raise DomainError(
            refused(f"cannot be due on {command.due_on}, before today ({today})"),
            code="inspection.due_in_past",
            fields=["due_on"],
        )
    joint = command.kind == "joint_verification"
    if joint != bool(command.certification_body):
        raise DomainError(
            refused(
                "a joint verification names the certification body it is made with"
                if joint
                else "only a joint verification is made with a certification body"
            ),
            code="inspection.certification_body_only_for_joint_verification",
            fields=["kind", "certification_body"],
        )
    check = command.kind == "rectification_check"
    if check != bool(command.case_number):
        raise DomainError(
            refused(
                "a rectification check names the case whose order it verifies"
                if check
                else "only a rectification check verifies a case's order"
            ),
            code="inspection.case_only_for_rectification_check",
            fields=["kind", "case_number"],
        )
    return InspectionScheduled(
        inspection_id=command.inspection_id,
        enterprise_credit_code=command.enterprise_credit_code,
        kind=command.kind,
        due_on=command.due_on,
        scheduled_on=today,
        cause=command.cause,
        certification_body=command.certification_body,
        case_number=command.case_number,
    )


def rectification_passed(record: PatrolRecord, found: list[findings.Finding]) -> bool:
    """A rectification is carried out when the check finds no violation and no area failing."""
    failing = any(check.result == "nonconforming" for check in record.areas)
    return not failing and not any(isinstance(finding, ViolationFound) for finding in found)


def rectification_checked(
    state: Inspection, record: PatrolRecord, found: list[findings.Finding], today: date
) -> RectificationChecked:
    """The result of a rectification check for the case that ordered it."""
    passed = rectification_passed(record, found)
    failing = [findings.area_line(c) for c in record.areas if c.result == "nonconforming"]
    violations = [f.violation_id for f in found if isinstance(f, ViolationFound)]
    notes = "; ".join(failing + [f"violation {v}" for v in violations])
    return RectificationChecked(
        inspection_id=state.inspection_id,
        case_number=state.case_number or "",
        enterprise_credit_code=state.enterprise_credit_code,
        checked_on=today,
        passed=passed,
        notes=notes or "rectification carried out",
    )


def check_record(state: Inspection, record: PatrolRecord) -> None:
    """Refuse a record with an area unanswered or answered twice, or without the assignee."""
    for area in AREAS:
        answers = [check for check in record.areas if check.area == area]
        if not answers:
            raise refusal(
                state,
                f"cannot complete: area '{AREA_TITLES[area]}' is unanswered",
                code="inspection.area_unanswered",
                fields=["areas"],
            )
        if len(answers) > 1:
            raise refusal(
                state,
                f"area '{AREA_TITLES[area]}' is answered more than once",
                code="inspection.area_answered_twice",
                fields=["areas"],
            )
    if state.inspector not in record.inspectors:
        raise refusal(
            state,
            f"the assigned inspector {state.inspector} is not among the record's inspectors",
            code="inspection.inspector_not_in_record",
            fields=["inspectors"],
        )


def completed(state: Inspection, command: CompleteInspection, today: date) -> list[InspectionEvent]:
    """The completed inspection and every violation and minor finding its record shows."""
    record = command.record
    check_record(state, record)
    found = findings.check(
        state.inspection_id, state.enterprise_credit_code, record, command.certificates
    )
    violations = sum(isinstance(finding, ViolationFound) for finding in found)
    events: list[InspectionEvent] = [
        InspectionCompleted(
            inspection_id=state.inspection_id,
            enterprise_credit_code=state.enterprise_credit_code,
            kind=state.kind,
            completed_on=today,
            due_on=state.due_on,
            inspectors=list(record.inspectors),
            areas=sorted(record.areas, key=lambda check: AREAS.index(check.area)),
            products_seen=list(record.products_seen),
            enterprise_feedback=record.enterprise_feedback,
            industry_problems=record.industry_problems,
            violations=violations,
            minor_findings=len(found) - violations,
        )
    ]
    events.extend(found)
    if state.kind == "rectification_check" and state.case_number:
        events.append(rectification_checked(state, record, found, today))
    return events


def evolve(state: Inspection | None, event: InspectionEvent) -> Inspection:
    """The inspection after one of its events."""
    if isinstance(event, InspectionScheduled):
        return Inspection(
            inspection_id=event.inspection_id,
            enterprise_credit_code=event.enterprise_credit_code,
            kind=event.kind,
            status="scheduled",
            scheduled_on=event.scheduled_on,
            due_on=event.due_on,
            cause=event.cause,
            certification_body=event.certification_body,
            case_number=event.case_number,
        )
    if state is None:
        raise DomainError(
            f"inspection {event.inspection_id}: event before scheduling", code="event.out_of_order"
        )
    match event:
        case InspectionAssigned():
            assignee = {
                "department": event.department,
                "inspector": event.inspector,
                "inspector_id": event.inspector_id,
            }
            return state.model_copy(update={"status": "assigned", **assignee})
        case InspectionStarted():
            return state.model_copy(update={"status": "started", "started_on": event.started_on})
        case InspectionCompleted():
            return state.model_copy(update={"status": "completed", "closed_on": event.completed_on})
        case InspectionCancelled():
            closed = {"closed_on": event.cancelled_on, "cancel_reason": event.reason}
            return state.model_copy(update={"status": "cancelled", **closed})
        case ViolationFound():
            return state.model_copy(update={"violations": (*state.violations, event.violation_id)})
        case FindingRecorded():
            minor = (*state.minor_findings, event.finding_id)
            return state.model_copy(update={"minor_findings": minor})
        case RectificationChecked():
            return state
    raise AssertionError(f"no rule for {type(event).__name__}")


def replay(events: Iterable[InspectionEvent]) -> Inspection | None:
    """The inspection its events describe (None before scheduling)."""
    state: Inspection | None = None
    for event in events:
        state = evolve(state, event)
    return state


def is_overdue(state: Inspection, today: date) -> bool:
    """Whether the inspection is still open after its due date."""
    return state.status in OPEN and today > state.due_on
