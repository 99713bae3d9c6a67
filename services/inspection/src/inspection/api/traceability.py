"""HTTP routes for traceability: an unqualified product found at a seller, traced to its maker."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field
from sqlalchemy import select

from ccc_contracts.envelope import new_event_id
from ccc_shared.runtime.http import CommandResult
from ccc_shared.runtime.problem import Refusal
from inspection.api.context import COMMAND_RESPONSES, App, Metadata, Store
from inspection.api.schemas import ID_PATTERN, Body
from inspection.application.traceability import record_trace
from inspection.domain.traceability import DIVISION, RecordUnqualifiedProduct, TraceProblem
from inspection.projections.tables import traces

router = APIRouter(tags=["traceability"])
TraceId = Annotated[str, Path(pattern=ID_PATTERN)]


class UnqualifiedProduct(Body):
    """Where an unqualified product was found, what it is, and who made it.

    ``manufacturer_jurisdiction`` defaults to the division code in the maker's credit code
    (characters 3 to 8, GB 32100-2015), the division where it was registered.
    """

    trace_id: str | None = Field(default=None, pattern=ID_PATTERN)
    found_at: str = Field(min_length=1, description="the seller or place where it was found")
    product_category: str = Field(min_length=1)
    model: str = Field(min_length=1)
    problem: TraceProblem
    description: str = ""
    manufacturer_credit_code: str = Field(min_length=18, max_length=18)
    manufacturer_jurisdiction: str | None = Field(default=None, pattern=DIVISION)


class TraceView(BaseModel):
    """A recorded trace and where it led."""

    trace_id: str
    found_at: str
    found_on: date
    product_category: str
    model: str
    problem: str
    description: str
    manufacturer_credit_code: str
    manufacturer_jurisdiction: str
    outside_jurisdiction: bool
    manufacturer_inspection_id: str | None
    violation_id: str | None


@router.post("/traces", status_code=201, responses=COMMAND_RESPONSES)
def record_unqualified_product(
    body: UnqualifiedProduct, app: App, metadata: Metadata
) -> CommandResult:
    """Record an unqualified product at a seller: outside makers are external violations,
    makers inside the jurisdiction get an inspection."""
    settings = app.settings
    division = body.manufacturer_jurisdiction or body.manufacturer_credit_code[2:8]
    if not division.isdigit():
        raise Refusal(
            422,
            "manufacturer_jurisdiction is needed: no division in the code",
            code="trace.jurisdiction_needed",
            fields=["manufacturer_jurisdiction"],
        )
    command = RecordUnqualifiedProduct(
        **body.model_dump(exclude={"trace_id", "manufacturer_jurisdiction"}),
        trace_id=body.trace_id or f"TRC-{new_event_id().hex}",
        manufacturer_jurisdiction=division,
        bureau_jurisdiction=settings.jurisdiction,
    )
    recorded = record_trace(app, command, metadata)
    return CommandResult.of("trace", command.trace_id, recorded)


@router.get("/traces/{trace_id}", responses={404: {"description": "Unknown trace"}})
def get_trace(trace_id: TraceId, store: Store) -> TraceView:
    """One trace, with the violation or the inspection it led to."""
    with store.reading() as conn:
        row = conn.execute(select(traces).where(traces.c.trace_id == trace_id)).first()
    if row is None:
        raise HTTPException(404, f"trace {trace_id} is not recorded")
    return TraceView.model_validate(dict(row._mapping))
