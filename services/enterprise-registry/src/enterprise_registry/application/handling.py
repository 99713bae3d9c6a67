"""The registry's command entry point: the shared load-decide-append, on the right aggregate.

Every command of the registry goes through ``execute``: from HTTP (its own transaction) and
from the subscription runner (the runner's transaction, passed as ``conn``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from ccc_contracts.envelope import EventMetadata, RecordedEvent
from ccc_shared import handling
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import BUREAU_TIME, UnknownAggregateError, bureau_today
from enterprise_registry.application.aggregates import aggregate_for
from enterprise_registry.domain.base import Command

__all__ = ["BUREAU_TIME", "UnknownAggregateError", "bureau_today", "execute"]


def execute(
    store: SqlEventStore,
    command: Command,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on its aggregate's history and append the events (none if no change)."""
    aggregate = aggregate_for(command)
    return handling.execute(store, aggregate, command, metadata, conn=conn, today=today)
