"""The one command handler every service shares: load the stream, replay, decide, append, project.

A service describes each of its aggregates once, as an ``Aggregate`` record (stream name, key,
pure decide/evolve, read-model save); ``execute`` then serves every command of every service,
from HTTP (its own transaction) and from the subscription runner (the runner's transaction,
passed as ``conn``), so the read models and the append commit together and a reader sees its
own writes. The bureau's calendar day (China Standard Time) lives here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from ccc_shared.domain import Command
from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore

BUREAU_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")  # the bureau's calendar day

S = TypeVar("S")
C = TypeVar("C", bound=Command)


class UnknownAggregateError(LookupError):
    """A command addressed to an aggregate that was never created."""


def bureau_today() -> date:
    """Today's date on the bureau's calendar (China Standard Time)."""
    return datetime.now(BUREAU_TIME).date()


def bureau_day(moment: datetime) -> date:
    """The bureau's calendar day of an instant (an event's ``occurred_at``, say)."""
    return moment.astimezone(BUREAU_TIME).date()


def _no_preparation(command: Any, state: Any, conn: Connection) -> Any:
    return command


def _nothing_more(recorded: Sequence[RecordedEvent], conn: Connection) -> None:
    return None


@dataclass(frozen=True)
class Aggregate(Generic[S, C]):
    """How to find, rebuild, change and project one kind of aggregate.

    ``prepare`` may complete a command from the service's own read models inside the same
    transaction (the facts a decision needs); ``also`` projects the recorded events anywhere
    besides the aggregate's own row (a dossier timeline, say).
    """

    name: str
    noun: str
    creation: type[C] | tuple[type[C], ...]
    key: Callable[[C], str]
    decide: Callable[[S | None, C, date], list[Any]]
    evolve: Callable[[S | None, Any], S]
    save: Callable[[S, int, Connection], None]
    prepare: Callable[[C, S | None, Connection], C] = _no_preparation
    also: Callable[[Sequence[RecordedEvent], Connection], None] = _nothing_more

    def stream(self, key: str) -> StreamId:
        """The stream holding one aggregate's events."""
        return StreamId(self.name, key)

    def replay(self, events: Iterable[Any]) -> S | None:
        """The state the events describe (None before the first)."""
        state: S | None = None
        for event in events:
            state = self.evolve(state, event)
        return state

    def state_of(self, store: SqlEventStore, key: str, conn: Connection) -> S | None:
        """The aggregate's current state, rebuilt from its stream (None if never created)."""
        return self.replay(event.data for event in store.load(self.stream(key), conn=conn))


def execute(
    store: SqlEventStore,
    aggregate: Aggregate[Any, Any],
    command: Command,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on its aggregate's history and append the events (none if no change)."""
    if conn is None:
        with store.transaction() as own:
            return execute(store, aggregate, command, metadata, conn=own, today=today)
    stream = aggregate.stream(aggregate.key(command))
    history = store.load(stream, conn=conn)
    if not history and not isinstance(command, aggregate.creation):
        raise UnknownAggregateError(f"{aggregate.noun} {stream.aggregate_id} is not registered")
    state = aggregate.replay(event.data for event in history)
    command = aggregate.prepare(command, state, conn)
    decided = aggregate.decide(state, command, today or bureau_today())
    version = history[-1].version if history else 0
    recorded = store.append(stream, decided, version, metadata, conn=conn)
    if recorded:
        after = state
        for event in recorded:
            after = aggregate.evolve(after, event.data)
        aggregate.save(after, recorded[-1].version, conn)
        aggregate.also(recorded, conn)
    return recorded
