"""Inspection's command entry point: the shared load-decide-append on the inspection aggregate.

Every Inspection command goes through ``execute``, from HTTP (its own transaction) and from
the subscription runner (the runner's transaction, passed as ``conn``). Completing reads the
local certificates in that transaction (``prepare``), so the findings and
``InspectionCompleted`` are decided on one view of the register and commit together.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from ccc_shared import handling
from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import BUREAU_TIME, Aggregate, UnknownAggregateError, bureau_today
from inspection.domain import inspections
from inspection.domain.inspection_commands import (
    CompleteInspection,
    InspectionCommand,
    ScheduleInspection,
)
from inspection.projections.queries import certificate_facts
from inspection.projections.read_models import save_inspection

__all__ = ["BUREAU_TIME", "INSPECTION", "UnknownAggregateError", "bureau_today", "execute"]


def _inspection_id(command: InspectionCommand) -> str:
    return command.inspection_id


def _with_certificates(
    command: InspectionCommand, state: inspections.Inspection | None, conn: Connection
) -> InspectionCommand:
    """A completion carries the local register's facts on the certificates the record shows."""
    if not isinstance(command, CompleteInspection) or state is None:
        return command
    shown = [p.certificate_number for p in command.record.products_seen if p.certificate_number]
    known = certificate_facts(conn, state.enterprise_credit_code, shown)
    return command.model_copy(update={"certificates": known})


INSPECTION: Aggregate[inspections.Inspection, InspectionCommand] = Aggregate(
    name="inspection",
    noun="inspection",
    creation=ScheduleInspection,
    key=_inspection_id,
    decide=inspections.decide,
    evolve=inspections.evolve,
    save=save_inspection,
    prepare=_with_certificates,
)


def stream_of(inspection_id: str) -> StreamId:
    """The stream holding one inspection's events."""
    return INSPECTION.stream(inspection_id)


def execute(
    store: SqlEventStore,
    command: InspectionCommand,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on the inspection's history and append the events (none if no change)."""
    return handling.execute(store, INSPECTION, command, metadata, conn=conn, today=today)
