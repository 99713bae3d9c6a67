"""The CNCA report of a closed penalty case: the payload, and recording what was sent.

The decision document is referred to by where this service keeps it (``documents/<sha256>``,
served by ``GET /documents/{sha256}``); the description is the officer's, or else an account
built from the case's record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent
from ccc_shared.handling import UnknownAggregateError
from enforcement.application.handling import Enforcement
from enforcement.domain.case_commands import RecordCncaReport
from enforcement.domain.case_state import Case
from enforcement.domain.cnca_report import CncaReport, build_report, default_description


def document_reference(sha256: str) -> str:
    """Where the service keeps a decision document."""
    return f"documents/{sha256}"


def _closed_case(app: Enforcement, number: str, conn: Connection) -> Case:
    state = app.case_state(number, conn)
    if state is None:
        raise UnknownAggregateError(f"case {number} is not open")
    return state


def report_payload(app: Enforcement, number: str, description: str | None = None) -> CncaReport:
    """The report of a closed penalty case, as it would be sent (DomainError if none is due)."""
    with app.store.reading() as conn:
        state = _closed_case(app, number, conn)
    first = state.penalties[0].decision_document_sha256 if state.penalties else "-"
    return build_report(state, description or default_description(state), document_reference(first))


def record_report(
    app: Enforcement,
    number: str,
    metadata: EventMetadata,
    *,
    sent_at: datetime,
    description: str | None = None,
    receipt: str = "",
) -> list[RecordedEvent]:
    """Record ``CaseReportedToCNCA``: the payload built now, sent at ``sent_at``."""
    with app.store.transaction() as conn:
        state = _closed_case(app, number, conn)
        first = state.penalties[0].decision_document_sha256 if state.penalties else "-"
        command = RecordCncaReport(
            case_number=number,
            case_description=description or default_description(state),
            decision_document_file=document_reference(first),
            sent_at=sent_at,
            receipt=receipt,
        )
        return app.execute(command, metadata, conn=conn)
