"""HTTP routes for inspections: schedule, assign, start, complete with the record, cancel, read."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from ccc_contracts.envelope import new_event_id
from ccc_shared.runtime.http import CommandResult, Limit, Offset, require_assignee
from inspection.api.context import COMMAND_RESPONSES, Metadata, Store
from inspection.api.schemas import (
    ID_PATTERN,
    Assignment,
    Cancellation,
    InspectionDetail,
    InspectionPage,
    InspectionPlan,
    InspectionView,
)
from inspection.application.handling import INSPECTION, execute
from inspection.domain.inspection_commands import (
    AssignInspection,
    CancelInspection,
    CompleteInspection,
    InspectionCommand,
    PatrolRecord,
    ScheduleInspection,
    StartInspection,
)
from inspection.domain.inspections import InspectionStatus
from inspection.projections import queries

router = APIRouter(tags=["inspections"])
InspectionId = Annotated[str, Path(pattern=ID_PATTERN)]


def bureau_day(request: Request) -> date:
    """The bureau's date as the app's clock gives it (tests pass a fixed clock)."""
    today: date = request.app.state.clock()
    return today


Today = Annotated[date, Depends(bureau_day)]


def run(store: Store, command: InspectionCommand, metadata: Metadata, today: date) -> CommandResult:
    """Execute an inspection command on the bureau's date and report the events it appended."""
    recorded = execute(store, command, metadata, today=today)
    return CommandResult.of("inspection", command.inspection_id, recorded)


def run_as_assignee(
    store: Store, command: InspectionCommand, metadata: Metadata, today: date
) -> CommandResult:
    """Run a step the assignee takes: an inspection assigned to a named user is theirs.

    Another inspector is refused (403) and nothing changes; a section head may act on any.
    """
    with store.transaction() as conn:
        state = INSPECTION.state_of(store, command.inspection_id, conn)
        assignee = state.inspector_id if state is not None else None
        work = f"inspection {command.inspection_id}"
        require_assignee(metadata.actor, "inspector", assignee, work)
        recorded = execute(store, command, metadata, conn=conn, today=today)
    return CommandResult.of("inspection", command.inspection_id, recorded)


@router.post("/inspections", status_code=201, responses=COMMAND_RESPONSES)
def schedule_inspection(
    plan: InspectionPlan, store: Store, metadata: Metadata, today: Today
) -> CommandResult:
    """Schedule an inspection of an enterprise, due on a day (not before today)."""
    inspection_id = plan.inspection_id or f"INS-{new_event_id().hex}"
    fields = plan.model_dump(exclude={"inspection_id"})
    return run(store, ScheduleInspection(inspection_id=inspection_id, **fields), metadata, today)


@router.post("/inspections/{inspection_id}/assign", responses=COMMAND_RESPONSES)
def assign_inspection(
    inspection_id: InspectionId, body: Assignment, store: Store, metadata: Metadata, today: Today
) -> CommandResult:
    """Give a scheduled (or reassign an assigned) inspection to a department and inspector."""
    command = AssignInspection(inspection_id=inspection_id, **body.model_dump())
    return run(store, command, metadata, today)


@router.post("/inspections/{inspection_id}/start", responses=COMMAND_RESPONSES)
def start_inspection(
    inspection_id: InspectionId, store: Store, metadata: Metadata, today: Today
) -> CommandResult:
    """The assigned inspector begins the inspection on site."""
    return run_as_assignee(store, StartInspection(inspection_id=inspection_id), metadata, today)


@router.post("/inspections/{inspection_id}/complete", responses=COMMAND_RESPONSES)
def complete_inspection(
    inspection_id: InspectionId,
    record: PatrolRecord,
    store: Store,
    metadata: Metadata,
    today: Today,
) -> CommandResult:
    """Complete a started inspection with its patrol record; findings are raised with it."""
    command = CompleteInspection(inspection_id=inspection_id, record=record)
    return run_as_assignee(store, command, metadata, today)


@router.post("/inspections/{inspection_id}/cancel", responses=COMMAND_RESPONSES)
def cancel_inspection(
    inspection_id: InspectionId, body: Cancellation, store: Store, metadata: Metadata, today: Today
) -> CommandResult:
    """Call off an inspection that has not completed, saying why."""
    command = CancelInspection(inspection_id=inspection_id, reason=body.reason)
    return run(store, command, metadata, today)


@router.get("/inspections")
def list_inspections(
    store: Store,
    today: Today,
    status: InspectionStatus | None = None,
    enterprise: Annotated[str | None, Query(min_length=18, max_length=18)] = None,
    overdue: bool | None = None,
    department: str | None = None,
    inspector: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> InspectionPage:
    """Inspections by status, enterprise, assignee and overdue, earliest due first, paged."""
    with store.reading() as conn:
        total, rows = queries.list_inspections(
            conn,
            today=today,
            status=status,
            enterprise=enterprise,
            overdue=overdue,
            department=department,
            inspector=inspector,
            limit=limit,
            offset=offset,
        )
    items = [InspectionView.model_validate(row) for row in rows]
    return InspectionPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/inspections/{inspection_id}", responses={404: {"description": "Unknown inspection"}})
def get_inspection(inspection_id: InspectionId, store: Store, today: Today) -> InspectionDetail:
    """One inspection, whether it is overdue today, and the case each violation it found led to."""
    with store.reading() as conn:
        row = queries.get_inspection(conn, inspection_id, today)
        found = queries.violations_found(conn, inspection_id)
    if row is None:
        raise HTTPException(404, f"inspection {inspection_id} is not scheduled")
    return InspectionDetail.model_validate(row | {"violations_found": found})
