"""What a service is, declared once: the ``Service`` record the kernel builds everything from.

A service's ``main.py`` declares its record (``service(settings)``): the events it stores, its
aggregates, a table of reactions keyed by the event types they handle, its routers, its read
models' migrations, its periodic jobs. ``ccc_shared.runtime.build.build_app`` builds in one
direction from it: settings -> store -> application -> subscriptions -> app. The subscription
filter subjects follow from the reactions table (exactly the handled event types, grouped by
publisher), and the auditors' tool opens a store and finds the aggregates from the same record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection, Engine

from ccc_contracts import PUBLISHERS
from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.application import Application
from ccc_shared.handling import Aggregate
from ccc_shared.runtime.access import AccessTable

# A reaction to another service's event, run by the subscription runner in its transaction,
# given the service's application (the kernel's ``Application`` or the service's subclass).
Reaction = Callable[[Any, RecordedEvent, Connection], None]
# The reactions table: an event type (contract class or name) -> what it sets off, in order.
Reactions = Mapping[type[EventData] | str, Sequence[Reaction]]
Migration = Callable[[Engine], None]


@dataclass(frozen=True)
class Job:
    """Work the service repeats while it runs (a sweep, a plan), on its application."""

    name: str
    every_seconds: float
    run: Callable[[Any], Any]  # given the service's application
    wake_on_commit: bool = False  # run also as soon as a commit appends events


@dataclass(frozen=True)
class Service:
    """One service's parts: what it stores, decides, reacts to, serves and repeats."""

    context: str
    stored: EventRegistry
    aggregates: Sequence[Aggregate[Any, Any]]
    reactions: Reactions = field(default_factory=dict)
    routers: Sequence[APIRouter] = ()
    migrations: Sequence[Migration] = ()
    jobs: Sequence[Job] = ()
    upload_routes: Collection[str] = ()
    # who may call each route: "<context>:<route name>" -> roles (deny by default)
    access: AccessTable = field(default_factory=dict)
    # the contract events it puts on the bus (its ``ccc_contracts`` module's registry; the
    # outbox sends these, the AsyncAPI document describes them); None: the context's contracts
    published: EventRegistry | None = None
    # the service's application: the kernel's, or a subclass adding the service's own verbs
    application: Callable[..., Application[Any]] = Application
    on_stop: Sequence[Callable[[Any], None]] = ()  # after the jobs, before the kernel

    def reaction_table(self) -> dict[str, tuple[Reaction, ...]]:
        """The reactions by event type name."""
        return by_name(self.reactions)

    def subscribed(self) -> dict[str, list[str]]:
        """Each publisher this service reads -> the subjects of exactly the types it handles."""
        subjects: dict[str, list[str]] = {}
        for name in sorted(self.reaction_table()):
            context = publisher_of(name, besides=self.context)
            subjects.setdefault(context, []).append(f"ccc.{context}.*.*.{name}")
        return subjects


def publisher_of(event_type: str, *, besides: str) -> str:
    """The one other service whose contracts define ``event_type``."""
    found: list[str] = [
        context
        for context, published in PUBLISHERS.items()
        if context != besides and published.knows(event_type)
    ]
    if len(found) != 1:
        raise ValueError(f"{event_type}: published by {found or 'no other service'}, not one")
    return found[0]


def by_name(reactions: Reactions) -> dict[str, tuple[Reaction, ...]]:
    """A reactions table keyed by event type name."""
    table: dict[str, tuple[Reaction, ...]] = {}
    for key, listed in reactions.items():
        name = key if isinstance(key, str) else key.event_type
        table[name] = table.get(name, ()) + tuple(listed)
    return table


def react(
    reactions: Reactions, application: Application[Any]
) -> Callable[[RecordedEvent, Connection], None]:
    """The runner's handler: every reaction the event's type sets off, in the table's order."""
    table = by_name(reactions)

    def handle(event: RecordedEvent, conn: Connection) -> None:
        for reaction in table.get(event.event_type, ()):
            reaction(application, event, conn)

    return handle
