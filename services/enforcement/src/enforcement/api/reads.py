"""HTTP queries on cases and complaints; the informant is shown only to the case's officer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from ccc_shared.contracts.enforcement import CaseProblem, CaseSource, SubjectKind
from ccc_shared.runtime.auth import Principal
from ccc_shared.runtime.http import Page, Paging
from ccc_shared.sealing import Seal
from enforcement.api.context import CASE_NUMBER, TOKEN, App, Informants, Reader
from enforcement.api.schemas import CaseView, ComplaintView
from enforcement.domain.case_state import CaseStatus
from enforcement.domain.complaints import MASK
from enforcement.projections import queries

router = APIRouter(tags=["cases"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown case or complaint"}}


def handles(reader: Principal, officer: str | None) -> bool:
    """Whether the reader is the case officer assigned to the case (Order 117 art 48): a case
    officer by role whose user id is the case's officer; no other role, however senior."""
    return officer is not None and "case_officer" in reader.roles and reader.user_id == officer


def complaint_view(
    row: dict[str, Any], officer: str | None, reader: Principal, informants: Seal
) -> ComplaintView:
    """A complaint as this reader may see it: masked unless they handle its case (opened then)."""
    full = handles(reader, officer)
    shown = {
        key: informants.open(row[key]) if full else MASK
        for key in ("informant", "informant_contact")
        if row[key] is not None
    }
    return ComplaintView.model_validate({**row, **shown, "masked": not full})


@router.get("/cases/{case_number}", responses=NOT_FOUND)
def get_case(
    case_number: Annotated[str, Path(pattern=CASE_NUMBER)],
    app: App,
    reader: Reader,
    informants: Informants,
) -> CaseView:
    """One case with its complaints; overdue computed today."""
    with app.store.reading() as conn:
        row = queries.get_case(conn, case_number, app.today())
        if row is None:
            raise HTTPException(404, f"case {case_number} is not open")
        complaints = queries.complaints_of_case(conn, case_number)
    views = [complaint_view(c, row["officer"], reader, informants) for c in complaints]
    return CaseView.model_validate({**row, "complaints": views})


@router.get("/cases")
def list_cases(
    app: App,
    page: Paging,
    status: CaseStatus | None = None,
    source: CaseSource | None = None,
    subject: Annotated[str | None, Query(min_length=18, max_length=18)] = None,
    subject_kind: SubjectKind | None = None,
    problem: CaseProblem | None = None,
    department: str | None = None,
    officer: str | None = None,
    overdue: bool | None = None,
) -> Page[CaseView]:
    """Cases by status, source, subject, problem, department, officer and overdue, newest first."""
    with app.store.reading() as conn:
        total, rows = queries.list_cases(
            conn, today=app.today(), limit=page.limit, offset=page.offset, overdue=overdue,
            status=status, source=source, subject_credit_code=subject, subject_kind=subject_kind,
            problem=problem, department=department, officer=officer,
        )  # fmt: skip
    items = [CaseView.model_validate(row) for row in rows]
    return page.of(items, total)


@router.get("/complaints/{complaint_id}", responses=NOT_FOUND)
def get_complaint(
    complaint_id: Annotated[str, Path(pattern=TOKEN)],
    app: App,
    reader: Reader,
    informants: Informants,
) -> ComplaintView:
    """One complaint; informant and contact masked unless the reader is its case's officer."""
    with app.store.reading() as conn:
        row = queries.get_complaint(conn, complaint_id)
        if row is None:
            raise HTTPException(404, f"complaint {complaint_id} was not received")
        case = (
            queries.get_case(conn, row["case_number"], app.today()) if row["case_number"] else None
        )
    officer = None if case is None else case["officer"]
    return complaint_view(row, officer, reader, informants)
