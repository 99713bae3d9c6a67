"""The read-model writers on both stores: what a projection writes is what a reader reads back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from ccc_shared.eventstore.engine import make_engine
from ccc_shared.readmodels import delete_rows, insert_rows, replace_row, update_row, upsert_row

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("region", String(8), primary_key=True),
    Column("number", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("count", Integer, nullable=False, default=0),
    Column("due_on", Date),
    Column("seen_at", DateTime(timezone=True)),
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(things.c.region, things.c.number, things.c.name, things.c.count)
        return [tuple(row) for row in conn.execute(query.order_by(things.c.number))]


def thing(number: str, name: str, count: int = 0) -> dict[str, object]:
    seen_at = datetime(2026, 11, 27, 8, tzinfo=UTC)
    return {"region": "330102", "number": number, "name": name, "count": count,
            "due_on": date(2026, 12, 1), "seen_at": seen_at}  # fmt: skip


def test_replace_row_keeps_one_row_per_key_with_the_latest_values(engine: Engine) -> None:
    with engine.begin() as conn:
        replace_row(conn, things, ("region", "number"), thing("A-1", "消防产品", 1))
        replace_row(conn, things, ("region", "number"), thing("A-2", "电线电缆", 1))
        replace_row(conn, things, ("region", "number"), thing("A-1", "消防产品（复查）", 2))
    assert rows(engine) == [
        ("330102", "A-1", "消防产品（复查）", 2),
        ("330102", "A-2", "电线电缆", 1),
    ]
    with engine.connect() as conn:
        stored = conn.execute(select(things.c.due_on, things.c.seen_at)).first()
    assert stored is not None
    assert stored.due_on == date(2026, 12, 1)


def test_update_row_changes_only_the_named_columns_of_the_matching_row(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, things, [thing("A-1", "甲", 1), thing("A-2", "乙", 1)])
        matched = update_row(
            conn, things, ("region", "number"), {"region": "330102", "number": "A-2"},
            {"count": 5},
        )  # fmt: skip
        missing = update_row(conn, things, "number", {"number": "nope"}, {"name": "x"})
        nothing = update_row(conn, things, "number", {"number": "A-1"}, {})
    assert (matched, missing, nothing) == (1, 0, 0)
    assert rows(engine) == [("330102", "A-1", "甲", 1), ("330102", "A-2", "乙", 5)]


def test_upsert_row_inserts_then_updates_in_place(engine: Engine) -> None:
    with engine.begin() as conn:
        upsert_row(conn, things, ("region", "number"), thing("A-1", "甲", 1))
        upsert_row(conn, things, ("region", "number"), thing("A-1", "甲二", 3))
    assert rows(engine) == [("330102", "A-1", "甲二", 3)]


def test_delete_rows_removes_only_the_matching_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, things, thing("A-1", "甲"))
        insert_rows(conn, things, [thing("A-2", "乙"), thing("A-3", "丙")])
        insert_rows(conn, things, [])
        gone = delete_rows(conn, things, "number", number="A-2")
    assert gone == 1
    assert [row[1] for row in rows(engine)] == ["A-1", "A-3"]


def test_a_failed_write_leaves_nothing_half_written(engine: Engine) -> None:
    with engine.begin() as conn:
        replace_row(conn, things, ("region", "number"), thing("A-0", "甲"))

    def replace_then_insert_the_same_key() -> None:
        with engine.begin() as conn:
            replace_row(conn, things, ("region", "number"), thing("A-1", "乙"))
            conn.execute(insert(things), thing("A-1", "重复"))  # the same key twice: refused

    with pytest.raises(IntegrityError):
        replace_then_insert_the_same_key()
    assert rows(engine) == [("330102", "A-0", "甲", 0)]
