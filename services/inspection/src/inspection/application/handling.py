"""The one command handler: load the stream, replay, decide, append, project, in one transaction.

Every Inspection command goes through ``execute``, from HTTP (its own transaction) and from
the subscription runner (the runner's transaction, passed as ``conn``). Completing reads the
local certificates in that transaction, so the findings and ``InspectionCompleted`` are
decided on one view of the register and commit together.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import cast

from sqlalchemy import Connection

from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from inspection.domain import inspections
from inspection.domain.inspection_commands import (
    CompleteInspection,
    InspectionCommand,
    InspectionEvent,
    ScheduleInspection,
)
from inspection.projections.queries import certificate_facts
from inspection.projections.read_models import save_inspection

BUREAU_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")  # the bureau's calendar day
AGGREGATE = "inspection"


class UnknownInspectionError(LookupError):
    """A command addressed to an inspection that was never scheduled."""


def bureau_today() -> date:
    """Today's date on the bureau's calendar (China Standard Time)."""
    return datetime.now(BUREAU_TIME).date()


def stream_of(inspection_id: str) -> StreamId:
    """The stream holding one inspection's events."""
    return StreamId(AGGREGATE, inspection_id)


def execute(
    store: SqlEventStore,
    command: InspectionCommand,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on the inspection's history and append the events (none if no change)."""
    if conn is None:
        with store.transaction() as own:
            return execute(store, command, metadata, conn=own, today=today)
    stream = stream_of(command.inspection_id)
    history = store.load(stream, conn=conn)
    if not history and not isinstance(command, ScheduleInspection):
        raise UnknownInspectionError(f"inspection {command.inspection_id} is not scheduled")
    state = inspections.replay(cast(InspectionEvent, event.data) for event in history)
    if isinstance(command, CompleteInspection) and state is not None:
        shown = [p.certificate_number for p in command.record.products_seen if p.certificate_number]
        known = certificate_facts(conn, state.enterprise_credit_code, shown)
        command = command.model_copy(update={"certificates": known})
    decided = inspections.decide(state, command, today or bureau_today())
    version = history[-1].version if history else 0
    recorded = store.append(stream, decided, version, metadata, conn=conn)
    if recorded:
        after = state
        for event in recorded:
            after = inspections.evolve(after, cast(InspectionEvent, event.data))
        if after is not None:
            save_inspection(after, recorded[-1].version, conn)
    return recorded
