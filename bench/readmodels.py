"""Read-model bench: replacing a 20-column row, as every projection does per event.

Ours is ``ccc_shared.readmodels.replace_row`` (statements built once, values as parameters).
Two baselines on the same table and rows, in the same run: the raw DBAPI cursor with the SQL
text written out (the floor of what SQLAlchemy can cost; target 0.3x, about what SQLAlchemy Core
itself reaches against raw sqlite3 in ``../shared/STACK-FACTS.md``: 14.3k / 41.6k), and the way
the projections were written before, a DELETE and an ``insert(table).values(**row)`` built per
call (target 3x). Each
repetition replaces ``ROWS`` rows over ``KEYS`` keys in one transaction, on SQLite (a file,
WAL) and on PostgreSQL.

    uv run python bench/readmodels.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Engine, MetaData, String, Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPEATS, Row, median_rate, postgres_url, print_table, scratch_postgres
from ccc_shared.eventstore.engine import make_engine
from ccc_shared.readmodels import replace_row
from ccc_shared.runtime.settings import sqlite_url

ROWS, KEYS = 3000, 300
TEXT_COLUMNS = [f"text_{n}" for n in range(15)]

metadata = MetaData()
notices = Table(
    "bench_notices",
    metadata,
    Column("notice_id", String(40), primary_key=True),
    *(Column(name, String(200)) for name in TEXT_COLUMNS),
    Column("due_on", Date),
    Column("queued_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("status", String(20)),
)


def row(number: int) -> dict[str, Any]:
    """One notice row (Chinese text in every text column)."""
    at = datetime(2026, 11, 27, 8, tzinfo=UTC)
    texts = {name: f"关于证书暂停的通知 {number}" for name in TEXT_COLUMNS}
    return {"notice_id": f"n-{number % KEYS}", **texts, "due_on": date(2026, 12, 1),
            "queued_at": at, "sent_at": at, "status": "delivered"}  # fmt: skip


def ours(conn: Connection, values: dict[str, Any]) -> None:
    replace_row(conn, notices, "notice_id", values)


def built_per_call(conn: Connection, values: dict[str, Any]) -> None:
    from sqlalchemy import delete, insert

    conn.execute(delete(notices).where(notices.c.notice_id == values["notice_id"]))
    conn.execute(insert(notices).values(**values))


def raw_driver(engine: Engine) -> Callable[[Connection, dict[str, Any]], None]:
    """The same DELETE and INSERT as SQL text on the driver's cursor."""
    names = list(values_order())
    postgres = engine.dialect.name == "postgresql"

    def mark(name: str) -> str:
        return f"%({name})s" if postgres else f":{name}"

    delete_sql = f"DELETE FROM bench_notices WHERE notice_id = {mark('notice_id')}"
    insert_sql = (
        f"INSERT INTO bench_notices ({', '.join(names)})"
        f" VALUES ({', '.join(mark(n) for n in names)})"
    )

    def replace(conn: Connection, values: dict[str, Any]) -> None:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if not postgres:  # what SQLAlchemy's SQLite DateTime stores
            values = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
                      for k, v in values.items()}  # fmt: skip
            values["due_on"] = values["due_on"].isoformat()
        cursor.execute(delete_sql, {"notice_id": values["notice_id"]})
        cursor.execute(insert_sql, values)

    return replace


def values_order() -> list[str]:
    return [column.name for column in notices.columns]


def rate(engine: Engine, replace: Callable[[Connection, dict[str, Any]], None]) -> float:
    rows = [row(n) for n in range(ROWS)]
    with engine.begin() as conn:
        started = time.perf_counter()
        for values in rows:
            replace(conn, values)
        elapsed = time.perf_counter() - started
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM bench_notices").scalar() == KEYS
    return ROWS / elapsed


def measure(engine: Engine, store: str) -> list[Row]:
    metadata.create_all(engine)
    raw = raw_driver(engine)
    results: dict[str, list[float]] = {"ours": [], "raw": [], "per_call": []}
    for _ in range(REPEATS):
        results["ours"].append(rate(engine, ours))
        results["raw"].append(rate(engine, raw))
        results["per_call"].append(rate(engine, built_per_call))
    mine = median_rate(results["ours"])
    return [
        Row(f"read model replace, {store}: ours vs raw driver", mine,
            median_rate(results["raw"]), 0.3),
        Row(f"read model replace, {store}: ours vs statement built per call", mine,
            median_rate(results["per_call"]), 3.0),
    ]  # fmt: skip


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ccc-bench-readmodels-") as folder:
        engine = make_engine(sqlite_url(Path(folder) / "readmodels.db"))
        rows += measure(engine, "SQLite")
        engine.dispose()
    with scratch_postgres("ccc_bench_readmodels") as name:
        engine = make_engine(postgres_url(name))
        rows += measure(engine, "PostgreSQL")
        engine.dispose()
    return rows


if __name__ == "__main__":
    print_table(run())
