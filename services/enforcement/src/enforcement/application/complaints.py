"""Receiving a complaint: record it (informant confidential), then join an open case or open one.

Every complaint leads to a case (the seed: every complaint is recorded and handled). The open
cases it may join are those about the same subject and problem (``domain.complaints.joins``),
found in the read model and judged on their event-sourced state, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from ccc_shared.contracts.enforcement import SubjectKind
from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent
from enforcement.application.app import Enforcement
from enforcement.domain.case_state import FINAL, Case
from enforcement.domain.complaints import Complaint, ComplaintRecorded, ReceiveComplaint
from enforcement.projections.read_models import link_complaint
from enforcement.projections.tables import cases


@dataclass(frozen=True)
class Received:
    """What receiving a complaint did: its case, whether it joined one, the events appended."""

    complaint_id: str
    case_number: str
    joined: bool
    events: list[RecordedEvent]


def open_cases_about(app: Enforcement, complaint: Complaint, conn: Connection) -> tuple[Case, ...]:
    """The still-open cases about the complaint's subject and problem."""
    query = select(cases.c.case_number).where(
        cases.c.subject_credit_code == complaint.subject_credit_code,
        cases.c.problem == complaint.problem,
        cases.c.status.not_in(sorted(FINAL)),
    )
    found = (app.case_state(row.case_number, conn) for row in conn.execute(query))
    return tuple(case for case in found if case is not None)


def receive_complaint(
    app: Enforcement,
    complaint: Complaint,
    metadata: EventMetadata,
    *,
    subject_kind: SubjectKind = "enterprise",
    subject_staff_name: str | None = None,
    subject_name: str | None = None,
    product: str | None = None,
) -> Received:
    """Record the complaint and tie it to a case: the open one it joins, or a new clue."""
    with app.store.transaction() as conn:
        candidates = open_cases_about(app, complaint, conn)
        command = ReceiveComplaint(complaint=complaint, open_cases=candidates)
        events = app.execute(command, metadata, conn=conn)
        recorded = events[0].data
        assert isinstance(recorded, ComplaintRecorded)
        number = recorded.joined_case_number
        joined = number is not None
        if number is None:
            fields = {
                "source": "complaint",
                "complaint_id": complaint.complaint_id,
                "subject_kind": subject_kind,
                "subject_credit_code": complaint.subject_credit_code,
                "subject_staff_name": subject_staff_name,
                "subject_name": subject_name,
                "product": product,
                "problem": complaint.problem,
                "found_on": complaint.received_on,
            }
            number, opened = app.open_case(fields, metadata, conn)
            events += opened
        link_complaint(conn, complaint.complaint_id, number, joined)
    return Received(complaint.complaint_id, number, joined, events)
