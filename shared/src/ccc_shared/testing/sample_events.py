"""Small events and a sample aggregate for kernel tests and benchmarks (not contracts: nothing
publishes them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.envelope import Actor, EventMetadata
from ccc_shared.domain import Command, DomainError, State
from ccc_shared.eventstore.sql import SqlEventStore

sample_registry = EventRegistry()


@sample_registry.register
class SampleRecorded(EventData):
    """A sample event with a writer tag, a sequence number and some Chinese text."""

    event_type = "SampleRecorded"
    writer: str
    sequence: int
    note: str = "日常巡查记录"


class SampleCommand(Command):
    """A command to a writer's sample stream."""

    writer: str


class Record(SampleCommand):
    """Record the next numbered sample on a writer's stream."""

    sequence: int


class Tally(State):
    """A writer's stream: the last sample recorded."""

    writer: str
    last: int


def decide(state: Tally | None, command: Record, today: date) -> list[SampleRecorded]:
    """The next sample in turn, or a refusal naming the one expected."""
    expected = 1 if state is None else state.last + 1
    if command.sequence != expected:
        raise DomainError(
            f"sample {command.sequence} out of turn: {expected} is next",
            code="sample.out_of_turn",
            fields=["sequence"],
        )
    return [SampleRecorded(writer=command.writer, sequence=command.sequence)]


def evolve(state: Tally | None, event: SampleRecorded) -> Tally:
    """The tally after a sample."""
    return Tally(writer=event.writer, last=event.sequence)


def inspector(user_id: str = "inspector-1") -> EventMetadata:
    """Metadata of a command by a named inspector."""
    return EventMetadata(actor=Actor(id=user_id, role="inspector", name="王检查员"))


def make_store(url: str, context: str = "registry") -> SqlEventStore:
    """A migrated store on ``url`` that knows the sample events."""
    store = SqlEventStore(url, registry=sample_registry, source="kernel-tests", context=context)
    store.migrate()
    return store


StoreFactory = Callable[[str], SqlEventStore]
