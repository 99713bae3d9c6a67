"""The CNCA report of a closed penalty case: the payload, and recording what was sent.

The decision document is referred to by where this service keeps it (``documents/<sha256>``,
served by ``GET /documents/{sha256}``), so a case is reported only once its document was
uploaded; the description is the officer's, or else an account built from the case's record.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Connection

from ccc_contracts.envelope import EventMetadata, RecordedEvent, utcnow
from ccc_shared.domain import DomainError
from ccc_shared.handling import UnknownAggregateError
from enforcement.application.app import Enforcement
from enforcement.application.report_pdf import render_report
from enforcement.domain.case_commands import RecordCncaReport
from enforcement.domain.case_state import Case
from enforcement.domain.cnca_report import CncaReport, build_report, default_description
from enforcement.projections.read_models import document_stored, store_document


def document_reference(sha256: str) -> str:
    """Where the service keeps a decision document."""
    return f"documents/{sha256}"


def _reported_case(number: str, state: Case | None, conn: Connection) -> tuple[Case, str]:
    """The case and where its decision document is kept (refused if the file is not here)."""
    if state is None:
        raise UnknownAggregateError(f"case {number} is not open")
    if not state.penalties:
        return state, "-"  # build_report refuses it, naming the rule
    sha256 = state.penalties[0].decision_document_sha256
    if not document_stored(conn, sha256):
        raise DomainError(
            f"case {number}: the decision document {sha256} is not stored;"
            " upload it (POST /documents) before reporting",
            code="case.decision_document_missing",
        )
    return state, document_reference(sha256)


def report_payload(app: Enforcement, number: str, description: str | None = None) -> CncaReport:
    """The report of a closed penalty case, as it would be sent (DomainError if none is due)."""
    with app.store.reading() as conn:
        state, file_reference = _reported_case(number, app.case_state(number, conn), conn)
    return build_report(state, description or default_description(state), file_reference)


def record_report(
    app: Enforcement,
    number: str,
    metadata: EventMetadata,
    *,
    sent_at: datetime,
    description: str | None = None,
    receipt: str = "",
) -> list[RecordedEvent]:
    """Record ``CaseReportedToCNCA``: the payload built now, sent at ``sent_at``, and the
    report filed as a PDF kept with the case among its documents."""
    with app.store.transaction() as conn:

        def report(found: Case | None) -> list[RecordCncaReport]:
            state, file_reference = _reported_case(number, found, conn)
            summary = description or default_description(state)
            pdf = render_report(build_report(state, summary, file_reference))
            sha256 = hashlib.sha256(pdf).hexdigest()
            store_document(
                conn, sha256=sha256, filename=f"{number}-cnca-report.pdf",
                media_type="application/pdf", content=pdf, stored_at=utcnow(),
                stored_by=metadata.actor.id,
            )  # fmt: skip
            command = RecordCncaReport(
                case_number=number,
                case_description=summary,
                decision_document_file=file_reference,
                sent_at=sent_at,
                receipt=receipt,
                report_document_sha256=sha256,
            )
            return [command]

        # the case is loaded once: the report is built on the state it is recorded against
        return app.execute_made("case", number, report, metadata, conn=conn)


def report_document(app: Enforcement, number: str, description: str | None = None) -> bytes:
    """The report as a PDF a person can file."""
    return render_report(report_payload(app, number, description))
