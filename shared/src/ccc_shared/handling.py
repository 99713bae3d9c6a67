"""The one command handler every service shares: load the stream, replay, decide, append, project.

A service describes each of its aggregates once, as an ``Aggregate`` record (stream name, key,
the commands it takes, pure decide/evolve, read-model save); ``execute`` then serves every
command of every service, from HTTP (its own transaction) and from the subscription runner
(the runner's transaction, passed as ``conn``), so the read models and the append commit
together and a reader sees its own writes. ``ccc_shared.application.Application`` finds the
record from a command. The bureau's calendar day (China Standard Time) lives here too.
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
Guard = Callable[[Any], None]  # sees the loaded state first; raises to refuse the command


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

    ``commands``: the command classes it takes (subclasses too; its ``creation`` commands if
    empty), so ``Application.execute`` finds it from a command. ``prepare`` may complete a
    command from the service's own read models inside the same transaction (the facts a
    decision needs); ``also`` projects the recorded events anywhere besides the aggregate's own
    row (a dossier timeline, say).
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
    commands: tuple[type[Command], ...] = ()

    @property
    def command_types(self) -> tuple[type[Command], ...]:
        """The command classes this aggregate takes."""
        if self.commands:
            return self.commands
        return self.creation if isinstance(self.creation, tuple) else (self.creation,)

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
    guard: Guard | None = None,
) -> list[RecordedEvent]:
    """Decide a command on its aggregate's history and append the events (none if no change)."""
    return execute_in_turn(
        store, aggregate, [command], metadata, conn=conn, today=today, guard=guard
    )


def execute_in_turn(
    store: SqlEventStore,
    aggregate: Aggregate[Any, Any],
    commands: Sequence[Command],
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
    guard: Guard | None = None,
) -> list[RecordedEvent]:
    """Decide commands to one aggregate one after the other, then append what they decided.

    Each command is decided on the state the ones before it left (as if sent one by one), and
    their events are appended together: one load, one append and one read-model write instead
    of one each per command. If any command is refused, nothing is appended. ``guard`` sees
    the loaded state (None if never created) before anything is decided: raising refuses all.
    """
    if conn is None:
        with store.transaction() as own:
            return execute_in_turn(
                store, aggregate, commands, metadata, conn=own, today=today, guard=guard
            )
    if not commands:
        return []
    keys = {aggregate.key(command) for command in commands}
    if len(keys) != 1:
        raise ValueError(f"commands to one {aggregate.noun} only, got {sorted(keys)}")

    def guarded(state: Any) -> Sequence[Command]:
        if guard is not None:
            guard(state)
        return commands

    return execute_made(store, aggregate, keys.pop(), guarded, metadata, conn=conn, today=today)


def execute_made(
    store: SqlEventStore,
    aggregate: Aggregate[Any, Any],
    key: str,
    make: Callable[[Any], Sequence[Command]],
    metadata: EventMetadata,
    *,
    conn: Connection,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Load one aggregate once, make the commands from its state (``make`` may refuse by
    raising), decide them in turn and append what they decided."""
    stream = aggregate.stream(key)
    history = store.load(stream, conn=conn)
    state = aggregate.replay(event.data for event in history)
    commands = make(state)
    if not commands:
        return []
    if not history and not isinstance(commands[0], aggregate.creation):
        raise UnknownAggregateError(f"{aggregate.noun} {stream.aggregate_id} is not registered")
    day = today or bureau_today()
    decided: list[Any] = []
    for command in commands:
        prepared = aggregate.prepare(command, state, conn)
        events = aggregate.decide(state, prepared, day)
        for event in events:
            state = aggregate.evolve(state, event)
        decided += events
    version = history[-1].version if history else 0
    recorded = store.append(stream, decided, version, metadata, conn=conn)
    if recorded:
        aggregate.save(state, recorded[-1].version, conn)
        aggregate.also(recorded, conn)
    return recorded
