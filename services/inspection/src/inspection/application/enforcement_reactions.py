"""Reactions to enforcement's events: complaints and rectification orders bring inspections.

A complaint received (举报投诉) leads to a complaint follow-up inspection (the seed: every
complaint leads to an inspection or a case); a rectification ordered leads to a rectification
check on its deadline, naming the case, whose completion reports ``RectificationChecked``. Each
inspection's id is derived from the cause event's id, so the same cause delivered again finds
its inspection scheduled and does nothing. A case opened for a violation an inspection found is
recorded against that violation, so the inspection shows the case it led to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import Connection

from ccc_contracts.enforcement import CaseOpened, ComplaintReceived, RectificationOrdered
from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore
from inspection.application.handling import bureau_today, execute, stream_of
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.projections.read_models import record_case_of_violation

EnforcementHandler = Callable[[RecordedEvent, Connection], None]


def complaint_followup_id(cause: RecordedEvent) -> str:
    """The follow-up inspection one complaint event schedules: the same for every delivery."""
    return f"complaint-{cause.event_id}"


def rectification_check_id(cause: RecordedEvent) -> str:
    """The rectification check one order event schedules: the same for every delivery."""
    return f"rectification-{cause.event_id}"


def complaint_followup(
    cause: RecordedEvent, data: ComplaintReceived, within_days: int, today: date
) -> ScheduleInspection:
    """A follow-up inspection of the enterprise complained about, due ``within_days`` of receipt."""
    joined = f", joins case {data.joined_case_number}" if data.joined_case_number else ""
    return ScheduleInspection(
        inspection_id=complaint_followup_id(cause),
        enterprise_credit_code=data.subject_credit_code,
        kind="complaint_followup",
        due_on=max(data.received_on + timedelta(days=within_days), today),
        cause=f"complaint {data.complaint_id} ({data.channel}): {data.problem}{joined}",
    )


def rectification_check(
    cause: RecordedEvent, data: RectificationOrdered, today: date
) -> ScheduleInspection:
    """A check of the order's subject on the order's deadline (today if it has passed)."""
    return ScheduleInspection(
        inspection_id=rectification_check_id(cause),
        enterprise_credit_code=data.subject_credit_code,
        kind="rectification_check",
        due_on=max(data.deadline, today),
        cause=f"case {data.case_number}: rectification ordered on {data.ordered_on}: "
        f"{data.requirement}",
        case_number=data.case_number,
    )


def enforcement_event_handler(
    store: SqlEventStore,
    service_name: str,
    complaint_within_days: int,
    clock: Callable[[], date] = bureau_today,
) -> EnforcementHandler:
    """The runner's handler for enforcement's contract events."""
    actor = Actor.service(service_name)

    def schedule_once(command: ScheduleInspection, cause: RecordedEvent, conn: Connection) -> None:
        if store.load(stream_of(command.inspection_id), conn=conn):
            return  # this cause already scheduled its inspection
        metadata = EventMetadata.caused_by(cause, actor)
        execute(store, command, metadata, conn=conn, today=clock())

    def when_complaint_received_schedule_followup(event: RecordedEvent, conn: Connection) -> None:
        """A complaint brings a follow-up inspection of its subject."""
        if isinstance(event.data, ComplaintReceived):
            command = complaint_followup(event, event.data, complaint_within_days, clock())
            schedule_once(command, event, conn)

    def when_rectification_ordered_schedule_check(event: RecordedEvent, conn: Connection) -> None:
        """A rectification order brings a check at its deadline, naming its case."""
        if isinstance(event.data, RectificationOrdered):
            schedule_once(rectification_check(event, event.data, clock()), event, conn)

    def when_case_opened_for_violation_name_it(event: RecordedEvent, conn: Connection) -> None:
        """A case opened for a violation is shown with the inspection that found it."""
        if isinstance(event.data, CaseOpened) and event.data.violation_id is not None:
            record_case_of_violation(event.data.violation_id, event.data.case_number, conn)

    def handle_enforcement_event(event: RecordedEvent, conn: Connection) -> None:
        """Run every reaction the event calls for (the others are not this service's business)."""
        when_complaint_received_schedule_followup(event, conn)
        when_rectification_ordered_schedule_check(event, conn)
        when_case_opened_for_violation_name_it(event, conn)

    return handle_enforcement_event
