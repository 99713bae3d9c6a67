"""The shared command handler on both stores: commands decided in turn, appended together."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection

from ccc_contracts.envelope import StreamId
from ccc_shared.domain import DomainError
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate, UnknownAggregateError, execute, execute_in_turn
from ccc_shared.testing.sample_events import (
    Record,
    Tally,
    decide,
    evolve,
    inspector,
    make_store,
)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlEventStore]:
    store = make_store(database_url)
    yield store
    store.close()


@pytest.fixture
def saved() -> list[tuple[Tally, int]]:
    return []


@pytest.fixture
def tally(saved: list[tuple[Tally, int]]) -> Aggregate[Tally, Record]:
    def save(state: Tally, version: int, conn: Connection) -> None:
        saved.append((state, version))

    return Aggregate(
        name="sample", noun="sample stream", creation=Record, key=lambda c: c.writer,
        decide=decide, evolve=evolve, save=save,
    )  # fmt: skip


def stored(store: SqlEventStore, writer: str) -> list[tuple[int, int]]:
    events = store.load(StreamId("sample", writer))
    return [(event.version, event.data.sequence) for event in events]  # type: ignore[attr-defined]


def test_commands_are_decided_in_turn_and_appended_with_one_read_model_write(
    store: SqlEventStore, tally: Aggregate[Tally, Record], saved: list[tuple[Tally, int]]
) -> None:
    execute(store, tally, Record(writer="w", sequence=1), inspector())
    commands = [Record(writer="w", sequence=n) for n in (2, 3, 4)]
    recorded = execute_in_turn(store, tally, commands, inspector())
    assert [event.version for event in recorded] == [2, 3, 4]
    assert stored(store, "w") == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert saved == [(Tally(writer="w", last=1), 1), (Tally(writer="w", last=4), 4)]


def test_a_refused_command_in_the_sequence_appends_nothing(
    store: SqlEventStore, tally: Aggregate[Tally, Record], saved: list[tuple[Tally, int]]
) -> None:
    commands = [Record(writer="w", sequence=1), Record(writer="w", sequence=3)]
    with pytest.raises(DomainError, match="3 out of turn: 2 is next"):
        execute_in_turn(store, tally, commands, inspector())
    assert stored(store, "w") == []
    assert saved == []


def test_commands_to_two_aggregates_or_to_one_never_created_are_refused(
    store: SqlEventStore, tally: Aggregate[Tally, Record]
) -> None:
    two = [Record(writer="a", sequence=1), Record(writer="b", sequence=1)]
    with pytest.raises(ValueError, match="one sample stream only"):
        execute_in_turn(store, tally, two, inspector())
    plain = Aggregate(
        name="sample", noun="sample stream", creation=(), key=lambda c: c.writer,
        decide=decide, evolve=evolve, save=lambda state, version, conn: None,
    )  # fmt: skip
    with pytest.raises(UnknownAggregateError, match="sample stream a is not registered"):
        execute(store, plain, Record(writer="a", sequence=1), inspector())
    assert execute_in_turn(store, tally, [], inspector()) == []
    assert stored(store, "a") == stored(store, "b") == []
