"""Recording a trace: the trace and, for a maker inside the jurisdiction, its inspection, at once.

Both aggregates are appended in one transaction, so a trace never exists without the
inspection of the maker it asked for (the inspection's id derives from the trace's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ccc_contracts.envelope import EventMetadata, RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore
from inspection.application.handling import bureau_today, execute, execute_trace
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.domain.traceability import RecordUnqualifiedProduct, UnqualifiedProductTraced


@dataclass(frozen=True)
class TraceSettings:
    """The bureau's jurisdiction (division code) and how soon a traced maker is inspected."""

    jurisdiction: str
    within_days: int


def manufacturer_inspection(traced: UnqualifiedProductTraced, due_on: date) -> ScheduleInspection:
    """The surprise inspection of the maker of an unqualified product found at a seller."""
    return ScheduleInspection(
        inspection_id=traced.manufacturer_inspection_id or "",
        enterprise_credit_code=traced.manufacturer_credit_code,
        kind="surprise",
        due_on=due_on,
        cause=(
            f"trace {traced.trace_id}: {traced.product_category} model {traced.model}"
            f" ({traced.problem}) found at {traced.found_at}"
        ),
    )


def record_trace(
    store: SqlEventStore,
    command: RecordUnqualifiedProduct,
    metadata: EventMetadata,
    within_days: int,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Record the trace; inside the jurisdiction, schedule the maker's inspection with it."""
    day = today or bureau_today()
    with store.transaction() as conn:
        recorded = execute_trace(store, command, metadata, conn=conn, today=day)
        traced = recorded[0].data
        if isinstance(traced, UnqualifiedProductTraced) and traced.manufacturer_inspection_id:
            inspection = manufacturer_inspection(traced, day + timedelta(days=within_days))
            recorded += execute(store, inspection, metadata, conn=conn, today=day)
    return recorded
