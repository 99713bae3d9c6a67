"""Read-model writes with their statements built once per table and shape of row.

Every projection replaces, updates or inserts rows inside the transaction that appended or
consumed the events, so these run on every command and every consumed event. Building a
SQLAlchemy statement per call is what cost most there: ``insert(table).values(**row)`` with a
23-column row took ~1.1 ms against ~0.1 ms for the same insert built once and executed with the
row as parameters (SQLite, 2 cores; ``bench/readmodels.py``), and a DELETE or SELECT built per
call ~0.1 ms more than one built once. Statements here are built on first use and kept; the
values always travel as parameters, so the compiled form is cached too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

Row = Mapping[str, Any]
Key = str | tuple[str, ...]


def _columns(key: Key) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


def _matching(table: Table, key: tuple[str, ...]) -> Any:
    return and_(
        *(table.c[name] == bindparam(f"k_{name}", type_=table.c[name].type) for name in key)
    )


@cache
def _select(table: Table, key: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    chosen = [table.c[name] for name in columns] if columns else [table]
    return select(*chosen).where(_matching(table, key))


@cache
def _insert(table: Table) -> Any:
    return insert(table)


@cache
def _delete(table: Table, key: tuple[str, ...]) -> Any:
    return delete(table).where(_matching(table, key))


@cache
def _update(table: Table, key: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    values = {name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns}
    return update(table).where(_matching(table, key)).values(values)


@cache
def _upsert(dialect: str, table: Table, key: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    changed = {name: statement.excluded[name] for name in columns if name not in key}
    return statement.on_conflict_do_update(index_elements=list(key), set_=changed)


def _key_params(key: tuple[str, ...], values: Row) -> dict[str, Any]:
    return {f"k_{name}": values[name] for name in key}


def find_row(
    conn: Connection, table: Table, key: Key, where: Row, columns: tuple[str, ...] = ()
) -> RowMapping | None:
    """The first row whose ``key`` columns equal ``where`` (its ``columns``, or all)."""
    names = _columns(key)
    found = conn.execute(_select(table, names, columns), _key_params(names, where)).first()
    return None if found is None else found._mapping


def find_value(conn: Connection, table: Table, column: str, key: Key, where: Row) -> Any:
    """One column of the row whose ``key`` columns equal ``where`` (None if there is none)."""
    found = find_row(conn, table, key, where, (column,))
    return None if found is None else found[column]


def insert_rows(conn: Connection, table: Table, rows: Row | Sequence[Row]) -> None:
    """Insert one row or many (many go as one executemany)."""
    if isinstance(rows, Mapping):
        conn.execute(_insert(table), dict(rows))
    elif rows:
        conn.execute(_insert(table), [dict(row) for row in rows])


def delete_rows(conn: Connection, table: Table, key: Key, **values: Any) -> int:
    """Delete the rows whose ``key`` columns equal the given values; how many went."""
    columns = _columns(key)
    return int(conn.execute(_delete(table, columns), _key_params(columns, values)).rowcount)


def replace_row(conn: Connection, table: Table, key: Key, row: Row) -> None:
    """Put ``row`` in place of the row with the same key (or insert it if there is none)."""
    columns = _columns(key)
    conn.execute(_delete(table, columns), _key_params(columns, row))
    conn.execute(_insert(table), dict(row))


def update_row(conn: Connection, table: Table, key: Key, where: Row, values: Row) -> int:
    """Set ``values`` on the rows whose ``key`` columns equal ``where``; how many matched."""
    if not values:
        return 0
    columns = _columns(key)
    names = tuple(sorted(values))
    params = _key_params(columns, where) | {f"v_{name}": values[name] for name in names}
    return int(conn.execute(_update(table, columns, names), params).rowcount)


def upsert_row(conn: Connection, table: Table, key: Key, row: Row) -> None:
    """Insert ``row``, or update the other columns of the row with the same key (one statement)."""
    statement = _upsert(conn.dialect.name, table, _columns(key), tuple(sorted(row)))
    conn.execute(statement, dict(row))
