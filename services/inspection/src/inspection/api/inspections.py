"""HTTP routes for inspections: schedule, assign, start, complete with the record, cancel, read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from ccc_shared.eventstore.envelope import new_event_id
from ccc_shared.runtime.http import (
    App,
    CommandResult,
    Page,
    Paging,
    Today,
    assignee_only,
    run_command,
)
from inspection.api.context import COMMAND_RESPONSES, Metadata, Store
from inspection.api.schemas import (
    ID_PATTERN,
    Assignment,
    Cancellation,
    InspectionDetail,
    InspectionPlan,
    InspectionView,
)
from inspection.domain.inspection_commands import (
    AssignInspection,
    CancelInspection,
    CompleteInspection,
    InspectionCommand,
    PatrolRecord,
    ScheduleInspection,
    StartInspection,
)
from inspection.domain.inspections import Inspection, InspectionStatus
from inspection.projections import queries

router = APIRouter(tags=["inspections"])
InspectionId = Annotated[str, Path(pattern=ID_PATTERN)]


def inspector_of(state: Inspection) -> str | None:
    """Who the inspection is assigned to."""
    return state.inspector_id


def run_as_assignee(app: App, command: InspectionCommand, metadata: Metadata) -> CommandResult:
    """Run a step the assignee takes: an inspection assigned to a named user is theirs.

    Another inspector is refused (403) and nothing changes; a section head may act on any.
    """
    work = f"inspection {command.inspection_id}"
    guard = assignee_only(metadata.actor, "inspector", work, inspector_of)
    return run_command(app, command, metadata, guard=guard)


@router.post("/inspections", status_code=201, responses=COMMAND_RESPONSES)
def schedule_inspection(plan: InspectionPlan, app: App, metadata: Metadata) -> CommandResult:
    """Schedule an inspection of an enterprise, due on a day (not before today)."""
    inspection_id = plan.inspection_id or f"INS-{new_event_id().hex}"
    fields = plan.model_dump(exclude={"inspection_id"})
    return run_command(app, ScheduleInspection(inspection_id=inspection_id, **fields), metadata)


@router.post("/inspections/{inspection_id}/assign", responses=COMMAND_RESPONSES)
def assign_inspection(
    inspection_id: InspectionId, body: Assignment, app: App, metadata: Metadata
) -> CommandResult:
    """Give a scheduled (or reassign an assigned) inspection to a department and inspector."""
    command = AssignInspection(inspection_id=inspection_id, **body.model_dump())
    return run_command(app, command, metadata)


@router.post("/inspections/{inspection_id}/start", responses=COMMAND_RESPONSES)
def start_inspection(inspection_id: InspectionId, app: App, metadata: Metadata) -> CommandResult:
    """The assigned inspector begins the inspection on site."""
    return run_as_assignee(app, StartInspection(inspection_id=inspection_id), metadata)


@router.post("/inspections/{inspection_id}/complete", responses=COMMAND_RESPONSES)
def complete_inspection(
    inspection_id: InspectionId,
    record: PatrolRecord,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """Complete a started inspection with its patrol record; findings are raised with it."""
    command = CompleteInspection(inspection_id=inspection_id, record=record)
    return run_as_assignee(app, command, metadata)


@router.post("/inspections/{inspection_id}/cancel", responses=COMMAND_RESPONSES)
def cancel_inspection(
    inspection_id: InspectionId, body: Cancellation, app: App, metadata: Metadata
) -> CommandResult:
    """Call off an inspection that has not completed, saying why."""
    command = CancelInspection(inspection_id=inspection_id, reason=body.reason)
    return run_command(app, command, metadata)


@router.get("/inspections")
def list_inspections(
    store: Store,
    page: Paging,
    today: Today,
    status: InspectionStatus | None = None,
    enterprise: Annotated[str | None, Query(min_length=18, max_length=18)] = None,
    overdue: bool | None = None,
    department: str | None = None,
    inspector: str | None = None,
) -> Page[InspectionView]:
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
            limit=page.limit,
            offset=page.offset,
        )
    items = [InspectionView.model_validate(row) for row in rows]
    return page.of(items, total)


@router.get("/inspections/{inspection_id}", responses={404: {"description": "Unknown inspection"}})
def get_inspection(inspection_id: InspectionId, store: Store, today: Today) -> InspectionDetail:
    """One inspection, whether it is overdue today, and the case each violation it found led to."""
    with store.reading() as conn:
        row = queries.get_inspection(conn, inspection_id, today)
        found = queries.violations_found(conn, inspection_id)
    if row is None:
        raise HTTPException(404, f"inspection {inspection_id} is not scheduled")
    return InspectionDetail.model_validate(row | {"violations_found": found})
