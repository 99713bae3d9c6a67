"""The kernel's Application and Service record: one execute for every command, a guard on the
loaded state, commands made from the state, reactions dispatched by type, subjects derived."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.contracts.base import EventRegistry
from ccc_shared.contracts.enforcement import CaseClosed
from ccc_shared.contracts.inspection import ViolationFound
from ccc_shared.domain import Command, DomainError, State
from ccc_shared.eventstore.envelope import Actor, EventMetadata, RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate, UnknownAggregateError
from ccc_shared.service import Service, publisher_of, react
from ccc_shared.testing.sample_events import SampleRecorded, inspector, make_store


class SampleCommand(Command):
    writer: str


class Record(SampleCommand):
    sequence: int


class Tally(State):
    writer: str
    last: int


def decide(state: Tally | None, command: Record, today: date) -> list[SampleRecorded]:
    expected = 1 if state is None else state.last + 1
    if command.sequence != expected:
        raise DomainError(f"sample {command.sequence} out of turn: {expected} is next")
    return [SampleRecorded(writer=command.writer, sequence=command.sequence)]


def evolve(state: Tally | None, event: SampleRecorded) -> Tally:
    return Tally(writer=event.writer, last=event.sequence)


def save(state: Tally, version: int, conn: Connection) -> None:
    return None


TALLY: Aggregate[Tally, Record] = Aggregate(
    name="sample", noun="sample stream", creation=Record, key=lambda c: c.writer,
    decide=decide, evolve=evolve, save=save, commands=(SampleCommand,),
)  # fmt: skip


@pytest.fixture
def app(database_url: str) -> Iterator[Application[None]]:
    store = make_store(database_url)
    yield Application(store, None, [TALLY], actor=Actor.service("kernel-tests"))
    store.close()


def versions(store: SqlEventStore, writer: str) -> list[int]:
    return [event.version for event in store.load(StreamId("sample", writer))]


def test_a_command_finds_its_aggregate_by_its_class_or_a_base_class(
    app: Application[None],
) -> None:
    assert app.aggregate_for(Record(writer="w", sequence=1)) is TALLY
    recorded = app.execute(Record(writer="w", sequence=1), inspector())
    assert [event.event_type for event in recorded] == ["SampleRecorded"]

    class Stray(Command):
        pass

    with pytest.raises(TypeError, match="no aggregate takes Stray"):
        app.aggregate_for(Stray())


def test_a_guard_sees_the_loaded_state_and_its_refusal_appends_nothing(
    app: Application[None],
) -> None:
    app.execute(Record(writer="w", sequence=1), inspector())
    seen: list[Any] = []

    def refuse(state: Tally | None) -> None:
        seen.append(state)
        raise PermissionError("not yours")

    with pytest.raises(PermissionError):
        app.execute(Record(writer="w", sequence=2), inspector(), guard=refuse)
    assert seen == [Tally(writer="w", last=1)]
    assert versions(app.store, "w") == [1]


def test_commands_made_from_the_state_load_it_once_and_an_unknown_stream_is_refused(
    app: Application[None],
) -> None:
    app.execute(Record(writer="w", sequence=1), inspector())

    def next_one(state: Tally | None) -> list[Command]:
        assert state is not None
        return [Record(writer="w", sequence=state.last + 1)]

    recorded = app.execute_made("sample", "w", next_one, inspector())
    assert [event.version for event in recorded] == [2]
    with pytest.raises(UnknownAggregateError):
        app.execute_made("sample", "nobody", lambda state: [SampleCommand(writer="nobody")],
                         inspector())  # fmt: skip


def test_reactions_run_by_event_type_in_the_table_order(app: Application[None]) -> None:
    ran: list[str] = []

    def first(application: Any, event: RecordedEvent, conn: Connection) -> None:
        ran.append("first")

    def second(application: Any, event: RecordedEvent, conn: Connection) -> None:
        ran.append("second")

    handle = react({SampleRecorded: (first,), "SampleRecorded": (second,)}, app)
    app.execute(Record(writer="w", sequence=1), inspector())
    event = app.store.load(StreamId("sample", "w"))[0]
    with app.store.transaction() as conn:
        handle(event, conn)
    assert ran == ["first", "second"]


def test_the_subjects_follow_from_the_reactions_table() -> None:
    def nothing(application: Any, event: RecordedEvent, conn: Connection) -> None:
        return None

    service = Service(
        context="registry", stored=EventRegistry(), aggregates=[],
        reactions={ViolationFound: (nothing,), CaseClosed: (nothing,)},
    )  # fmt: skip
    assert service.subscribed() == {
        "enforcement": ["ccc.enforcement.*.*.CaseClosed"],
        "inspection": ["ccc.inspection.*.*.ViolationFound"],
    }
    with pytest.raises(ValueError, match="NoSuchEvent: published by no other service"):
        publisher_of("NoSuchEvent", besides="registry")


def test_an_actor_of_a_reaction_is_the_service(app: Application[None]) -> None:
    app.execute(Record(writer="w", sequence=1), inspector())
    cause = app.store.load(StreamId("sample", "w"))[0]
    metadata: EventMetadata = app.caused_by(cause)
    assert metadata.actor == Actor.service("kernel-tests")
    assert str(metadata.causation_id) == cause.event_id
