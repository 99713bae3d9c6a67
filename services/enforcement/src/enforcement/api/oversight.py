"""HTTP oversight: reconciliation (100% handling), figures, workload, the deadline sweep, and
the CNCA report (payload and recording what was sent)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from ccc_shared.eventstore.envelope import utcnow
from ccc_shared.runtime import http
from ccc_shared.runtime.http import CommandResult
from enforcement.api.context import CASE_NUMBER, COMMAND_RESPONSES, App, Metadata
from enforcement.api.schemas import OrphanViolation, ReportSent
from enforcement.application.reconciliation import open_orphan_case
from enforcement.application.reporting import record_report, report_document, report_payload
from enforcement.application.sweep import DeadlineSweep
from enforcement.domain.cnca_report import CncaReport
from enforcement.projections import queries

router = APIRouter(tags=["oversight"])
CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER)]


@router.get("/reconciliation")
def case_reconciliation(app: App) -> dict[str, Any]:
    """Every violation seen has exactly one case (``violations_without_case`` must be empty)."""
    with app.store.reading() as conn:
        return queries.reconciliation(conn)


@router.post(
    "/reconciliation/open-case",
    status_code=201,
    responses=http.command_responses("violation (never received)"),
)
def open_case_for_violation(body: OrphanViolation, app: App, metadata: Metadata) -> CommandResult:
    """Open the case of a violation listed without one (from what was recorded about it); it
    leaves the list. 409 if it has its case or the opening is refused (then nothing changes)."""
    number, events = open_orphan_case(app, body.violation_id, metadata)
    return CommandResult.of("case", number, events)


@router.get("/figures")
def enforcement_figures(app: App) -> dict[str, Any]:
    """Handling rate, closure rate, cases overdue and CNCA reports overdue, today."""
    with app.store.reading() as conn:
        return queries.figures(conn, app.today())


@router.get("/calendar")
def working_calendar(app: App) -> dict[str, Any]:
    """The working-day calendar deadlines are counted on, and the years it does not cover.

    A year without its holiday table counts weekends only; ``uncovered_years`` names those
    within the next 90 days, the time to add the State Council's notice to the settings.
    """
    calendar, today = app.calendar, app.today()
    missing = calendar.uncovered_ahead(today)
    return {
        "day": today,
        "years": sorted(calendar.years),
        "holidays": sorted(calendar.holidays),
        "makeup_working_days": sorted(calendar.makeup_working_days),
        "uncovered_years": missing,
        "warning": uncovered_warning(missing),
    }


def uncovered_warning(missing: list[int]) -> str | None:
    """What to tell the bureau about years without a holiday table (None if there are none)."""
    if not missing:
        return None
    years = ", ".join(str(year) for year in missing)
    return (
        f"no holiday table for {years}: deadlines there count weekends only; upgrade the"
        " chinesecalendar package once it holds that year's State Council notice, or set"
        " that year's holidays and make-up working days (ENFORCEMENT_HOLIDAYS,"
        " ENFORCEMENT_MAKEUP_WORKING_DAYS)"
    )


@router.get("/workload")
def workload_by_assignee(
    app: App, within_days: Annotated[int, Query(ge=0, le=90)] = 7
) -> dict[str, Any]:
    """For the section head: per department and officer, open, due soon and overdue cases."""
    today = app.today()
    with app.store.reading() as conn:
        rows = queries.workload(conn, today, within_days)
    return {"day": today, "within_days": within_days, "assignees": rows}


@router.post("/deadline-sweep", responses=COMMAND_RESPONSES)
def sweep_deadlines(app: App, metadata: Metadata) -> dict[str, Any]:
    """Record every passed deadline as missed now (the periodic sweep does this on its own)."""
    result = DeadlineSweep(app)()
    return {"day": result.day, "missed": result.missed, "requested_by": metadata.actor.id}


@router.get("/cases/{case_number}/cnca-report", responses=COMMAND_RESPONSES)
def cnca_report_payload(
    case_number: CaseNumber, app: App, description: str | None = None
) -> CncaReport:
    """The report a closed penalty case owes the CNCA enforcement information system."""
    return report_payload(app, case_number, description)


@router.get(
    "/cases/{case_number}/cnca-report.pdf",
    responses={**COMMAND_RESPONSES, 200: {"content": {"application/pdf": {}}}},
    response_class=Response,
)
def cnca_report_document(
    case_number: CaseNumber, app: App, description: str | None = None
) -> Response:
    """The report as a PDF form in Chinese, to file with the CNCA system or print."""
    pdf = report_document(app, case_number, description)
    disposition = {"Content-Disposition": f'inline; filename="{case_number}-cnca-report.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=disposition)


@router.post("/cases/{case_number}/cnca-report", responses=COMMAND_RESPONSES)
def record_cnca_report(
    case_number: CaseNumber, body: ReportSent, app: App, metadata: Metadata
) -> CommandResult:
    """Record that the report was sent (``CaseReportedToCNCA``): what, when, the receipt."""
    events = record_report(
        app, case_number, metadata, sent_at=body.sent_at or utcnow(),
        description=body.case_description, receipt=body.receipt,
    )  # fmt: skip
    return CommandResult.of("case", case_number, events)
