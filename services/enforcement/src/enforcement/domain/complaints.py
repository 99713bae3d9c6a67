"""Complaints and reports (举报投诉): recorded in full, published with the informant masked.

Order 117 art 48: the bureau keeps the informant confidential. Only the case officers handling
a complaint read the ``Complaint`` itself; every other reader, the published event included,
gets ``masked()``. A complaint about the same subject and problem as an open case joins that
case instead of opening another.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.enforcement import CaseProblem, ComplaintChannel, ComplaintReceived
from enforcement.domain.base import Command, DomainError, State
from enforcement.domain.case_state import FINAL, Case

private_events = EventRegistry()

MASK = "***"  # the whole value: even a surname or the last digits can identify a neighbour


class Complaint(State):
    """One complaint as the hotline, a letter, the web form or a referral brought it."""

    complaint_id: str = Field(min_length=1)
    channel: ComplaintChannel
    subject_credit_code: str = Field(min_length=18, max_length=18)
    problem: CaseProblem
    description: str = ""
    received_on: date
    informant: str | None = None  # None: anonymous
    informant_contact: str | None = None


def masked(complaint: Complaint, joined_case_number: str | None = None) -> ComplaintReceived:
    """The complaint as anyone but its case officers may read it (Order 117 art 48)."""
    return ComplaintReceived(
        complaint_id=complaint.complaint_id,
        channel=complaint.channel,
        subject_credit_code=complaint.subject_credit_code,
        problem=complaint.problem,
        received_on=complaint.received_on,
        informant=None if complaint.informant is None else MASK,
        informant_contact=None if complaint.informant_contact is None else MASK,
        joined_case_number=joined_case_number,
    )


def joins(complaint: Complaint, case: Case) -> bool:
    """Whether a complaint is about the same subject and problem as this still-open case."""
    return (
        case.status not in FINAL
        and case.subject_credit_code == complaint.subject_credit_code
        and case.problem == complaint.problem
    )


def case_to_join(complaint: Complaint, cases: Iterable[Case]) -> str | None:
    """The open case a complaint joins (the earliest opened), or None to open a new one."""
    matching = [case for case in cases if joins(complaint, case)]
    if not matching:
        return None
    return min(matching, key=lambda case: (case.opened_on, case.case_number)).case_number


@private_events.register
class ComplaintRecorded(EventData):
    """The complaint in full, informant included: stored here, never published."""

    event_type = "ComplaintRecorded"
    complaint: Complaint
    joined_case_number: str | None = None


def receive(
    complaint: Complaint, cases: Iterable[Case]
) -> tuple[ComplaintRecorded, ComplaintReceived]:
    """Record a complaint in full and publish it masked, joined to an open case if one matches."""
    joined = case_to_join(complaint, cases)
    return ComplaintRecorded(complaint=complaint, joined_case_number=joined), masked(
        complaint, joined
    )


class ReceiveComplaint(Command):
    """Record a complaint; ``open_cases`` are the cases it may join (the application finds them)."""

    complaint: Complaint
    open_cases: tuple[Case, ...] = ()


def decide(
    state: Complaint | None, command: ReceiveComplaint, today: date
) -> list[ComplaintRecorded | ComplaintReceived]:
    """A complaint is received once: recorded in full, published masked."""
    if state is not None:
        raise DomainError(
            f"complaint {state.complaint_id} was already received",
            code="complaint.already_received",
            fields=["complaint_id"],
        )
    recorded, published = receive(command.complaint, command.open_cases)
    return [recorded, published]


def evolve(state: Complaint | None, event: ComplaintRecorded | ComplaintReceived) -> Complaint:
    """The complaint as recorded (the masked form changes nothing)."""
    if isinstance(event, ComplaintRecorded):
        return event.complaint
    if state is None:
        raise DomainError(
            f"complaint {event.complaint_id}: published before it was recorded",
            code="event.out_of_order",
        )
    return state
