"""A service's application: its aggregates over its store, the one way to run any of its commands.

The kernel builds one ``Application`` per service from the service's record (``ccc_shared.service``)
once the store exists, and hands the same object to the routes (``ccc_shared.runtime.http.App``),
the reactions and the periodic jobs. ``execute`` finds the aggregate a command is addressed to
from the command's class (each ``Aggregate`` names the command classes it takes), so no service
writes its own entry point; a ``guard`` sees the loaded state before anything is decided (an
assignee check, say), so a command loads its stream once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from ccc_shared.domain import Command
from ccc_shared.eventstore.envelope import Actor, EventMetadata, RecordedEvent, utcnow
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate, Guard, bureau_today, execute_in_turn, execute_made

SettingsT = TypeVar("SettingsT")


class Application(Generic[SettingsT]):
    """One service's store, settings, aggregates and clocks; executes every command it takes."""

    def __init__(
        self,
        store: SqlEventStore,
        settings: SettingsT,
        aggregates: Sequence[Aggregate[Any, Any]],
        *,
        actor: Actor,
        today: Callable[[], date] = bureau_today,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        """``actor``: the service itself, the actor of its automatic reactions; ``today`` and
        ``now``: its clocks (tests pass fixed ones)."""
        self.store = store
        self.settings = settings
        self.aggregates = tuple(aggregates)
        self.actor = actor
        self.today = today
        self.now = now
        self._by_name = {aggregate.name: aggregate for aggregate in self.aggregates}
        self._by_command: dict[type, Aggregate[Any, Any]] = {}
        for aggregate in self.aggregates:
            for command_type in aggregate.command_types:
                taken = self._by_command.setdefault(command_type, aggregate)
                if taken is not aggregate:
                    raise ValueError(
                        f"{command_type.__name__} is taken by {taken.name} and {aggregate.name}"
                    )

    def aggregate_for(self, command: Command) -> Aggregate[Any, Any]:
        """The aggregate a command is addressed to (by its class or the nearest base class)."""
        for command_type in type(command).__mro__:
            found = self._by_command.get(command_type)
            if found is not None:
                return found
        raise TypeError(f"no aggregate takes {type(command).__name__}")

    def aggregate(self, name: str) -> Aggregate[Any, Any]:
        """One of the service's aggregates by its stream name (``certificate``)."""
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(self._by_name) or "none"
            raise LookupError(f"no aggregate {name!r} (known: {known})") from None

    def execute(
        self,
        command: Command,
        metadata: EventMetadata,
        *,
        conn: Connection | None = None,
        today: date | None = None,
        guard: Guard | None = None,
    ) -> list[RecordedEvent]:
        """Decide a command on its aggregate's history and append the events (none if no change)."""
        return self.execute_in_turn([command], metadata, conn=conn, today=today, guard=guard)

    def execute_in_turn(
        self,
        commands: Sequence[Command],
        metadata: EventMetadata,
        *,
        conn: Connection | None = None,
        today: date | None = None,
        guard: Guard | None = None,
    ) -> list[RecordedEvent]:
        """Decide commands to one aggregate one after the other, append what they decided."""
        if not commands:
            return []
        aggregate = self.aggregate_for(commands[0])
        day = today or self.today()
        return execute_in_turn(
            self.store, aggregate, commands, metadata, conn=conn, today=day, guard=guard
        )

    def execute_made(
        self,
        aggregate: str,
        key: str,
        make: Callable[[Any], Sequence[Command]],
        metadata: EventMetadata,
        *,
        conn: Connection | None = None,
        today: date | None = None,
    ) -> list[RecordedEvent]:
        """Load one aggregate once and execute the commands ``make`` builds from its state
        (``make`` refuses by raising): for a command that needs the state to be written."""
        if conn is None:
            with self.store.transaction() as own:
                return self.execute_made(aggregate, key, make, metadata, conn=own, today=today)
        found = self.aggregate(aggregate)
        day = today or self.today()
        return execute_made(self.store, found, key, make, metadata, conn=conn, today=day)

    def state_of(self, aggregate: str, key: str, conn: Connection) -> Any:
        """An aggregate's current state from its stream (None if it was never created)."""
        return self.aggregate(aggregate).state_of(self.store, key, conn)

    def exists(self, aggregate: str, key: str, conn: Connection) -> bool:
        """Whether an aggregate's stream holds any event."""
        return bool(self.store.load(self.aggregate(aggregate).stream(key), conn=conn))

    def caused_by(self, event: RecordedEvent) -> EventMetadata:
        """The metadata of what this service does in reaction to ``event``."""
        return EventMetadata.caused_by(event, self.actor)
