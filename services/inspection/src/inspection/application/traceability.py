"""Recording a trace: the trace and, for a maker inside the jurisdiction, its inspection, at once.

Both aggregates are appended in one transaction, so a trace never exists without the
inspection of the maker it asked for (the inspection's id derives from the trace's).
"""

from __future__ import annotations

from datetime import date, timedelta

from ccc_shared.application import Application
from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.domain.traceability import RecordUnqualifiedProduct, UnqualifiedProductTraced
from inspection.settings import Settings


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
    app: Application[Settings], command: RecordUnqualifiedProduct, metadata: EventMetadata
) -> list[RecordedEvent]:
    """Record the trace; inside the jurisdiction, schedule the maker's inspection with it."""
    day = app.today()
    within_days = app.settings.trace_inspection_within_days
    with app.store.transaction() as conn:
        recorded = app.execute(command, metadata, conn=conn, today=day)
        traced = recorded[0].data
        if isinstance(traced, UnqualifiedProductTraced) and traced.manufacturer_inspection_id:
            inspection = manufacturer_inspection(traced, day + timedelta(days=within_days))
            recorded += app.execute(inspection, metadata, conn=conn, today=day)
    return recorded
