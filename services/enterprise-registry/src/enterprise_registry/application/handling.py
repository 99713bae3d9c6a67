"""The one command handler: load the stream, replay, decide, append, project, in one transaction.

Every command of the registry goes through ``execute``: from HTTP (its own transaction) and
from the subscription runner (the runner's transaction, passed as ``conn``), so read models
and the append commit together and a reader sees its own writes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Connection

from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from enterprise_registry.application.aggregates import aggregate_for
from enterprise_registry.domain.base import Command
from enterprise_registry.projections.dossier import add_entries

BUREAU_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")  # the bureau's calendar day


class UnknownAggregateError(LookupError):
    """A command addressed to an enterprise or certificate that is not registered."""


def bureau_today() -> date:
    """Today's date on the bureau's calendar (China Standard Time)."""
    return datetime.now(BUREAU_TIME).date()


def execute(
    store: SqlEventStore,
    command: Command,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on its aggregate's history and append the events (none if no change)."""
    if conn is None:
        with store.transaction() as own:
            return execute(store, command, metadata, conn=own, today=today)
    aggregate = aggregate_for(command)
    stream = StreamId(aggregate.name, aggregate.key(command))
    history = store.load(stream, conn=conn)
    if not history and not isinstance(command, aggregate.creation):
        raise UnknownAggregateError(f"{aggregate.noun} {stream.aggregate_id} is not registered")
    state = aggregate.replay(event.data for event in history)
    decided = aggregate.decide(state, command, today or bureau_today())
    version = history[-1].version if history else 0
    recorded = store.append(stream, decided, version, metadata, conn=conn)
    if recorded:
        after = state
        for event in recorded:
            after = aggregate.evolve(after, event.data)
        aggregate.save(after, recorded[-1].version, conn)
        add_entries(recorded, conn)
    return recorded
