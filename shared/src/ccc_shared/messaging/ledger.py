"""A consumer's bookkeeping in its own database: processed event ids and its checkpoint.

Both are written in the same transaction as the handler's effects, so an event's effect and
the record that it was applied commit (or vanish) together: redelivery changes nothing twice.
The two per-batch statements that grow with the batch (which ids were processed, record the
new ones) run on the transaction's driver cursor: through SQLAlchemy Core they cost ~14 us per
event (bind processing per row), a tenth of the runner's whole budget per message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ccc_contracts.envelope import utcnow
from ccc_shared.eventstore.engine import READ_ONLY
from ccc_shared.eventstore.schema import processed_events, subscription_checkpoints
from ccc_shared.eventstore.sql import SqlEventStore


class Ledger:
    """Transactions, processed event ids and the checkpoint of one named consumer."""

    def __init__(self, store_or_engine: SqlEventStore | Engine, consumer: str) -> None:
        if isinstance(store_or_engine, SqlEventStore):
            self.store: SqlEventStore | None = store_or_engine
            self.engine: Engine = store_or_engine.engine
        else:
            self.store, self.engine = None, store_or_engine
        self.consumer = consumer
        self._seen = select(processed_events.c.event_id).where(
            processed_events.c.consumer == bindparam("consumer"),
            processed_events.c.event_id.in_(bindparam("ids", expanding=True)),
        )
        self._insert = insert(processed_events)
        driver = self.engine.dialect
        self._postgres = driver.name == "postgresql"
        marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(driver.paramstyle)
        self._marker = marker  # None: an unknown driver, stay on SQLAlchemy Core
        if marker is not None:
            self._raw_insert = (
                "INSERT INTO processed_events (consumer, event_id, processed_at)"
                f" VALUES ({marker}, {marker}, {marker})"
            )
            self._raw_seen = (
                f"SELECT event_id FROM processed_events WHERE consumer = {marker} AND event_id"
            )
        self._processed_at = processed_events.c.processed_at.type.bind_processor(driver)
        dialect = postgresql if self._postgres else sqlite
        upsert = dialect.insert(subscription_checkpoints)
        self._checkpoint = upsert.on_conflict_do_update(
            index_elements=[subscription_checkpoints.c.consumer],
            set_={
                "stream_sequence": upsert.excluded.stream_sequence,
                "updated_at": upsert.excluded.updated_at,
            },
            where=subscription_checkpoints.c.stream_sequence < upsert.excluded.stream_sequence,
        )

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (the store's, so appends made in it wake its relay)."""
        if self.store is not None:
            with self.store.transaction() as conn:
                yield conn
        else:
            with self.engine.begin() as conn:
                yield conn

    def already_processed(self, conn: Connection, event_ids: Sequence[str]) -> set[str]:
        """Which of these event ids this consumer has already applied."""
        if not event_ids:
            return set()
        ids = list(set(event_ids))
        if self._marker is None:
            rows = conn.execute(self._seen, {"consumer": self.consumer, "ids": ids})
            return set(rows.scalars())
        if self._postgres:
            sql, params = f"{self._raw_seen} = ANY({self._marker})", [self.consumer, ids]
        else:
            sql = f"{self._raw_seen} IN ({', '.join([self._marker] * len(ids))})"
            params = [self.consumer, *ids]
        with closing(self._cursor(conn)) as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    def record(self, conn: Connection, applied: Sequence[str], stream_sequence: int) -> None:
        """Record applied event ids and move the checkpoint forward (never back)."""
        now = utcnow()
        if applied and self._marker is None:
            conn.execute(
                self._insert,
                [{"consumer": self.consumer, "event_id": e, "processed_at": now} for e in applied],
            )
        elif applied:
            at = self._processed_at(now) if self._processed_at else now
            consumer = self.consumer
            with closing(self._cursor(conn)) as cursor:
                cursor.executemany(self._raw_insert, [(consumer, e, at) for e in applied])
        conn.execute(
            self._checkpoint,
            {"consumer": self.consumer, "stream_sequence": stream_sequence, "updated_at": now},
        )

    @staticmethod
    def _cursor(conn: Connection) -> Any:
        """A driver cursor inside ``conn``'s transaction."""
        return conn.connection.cursor()

    def checkpoint(self) -> int:
        """The highest stream sequence this consumer has committed (0 if none)."""
        query = select(subscription_checkpoints.c.stream_sequence).where(
            subscription_checkpoints.c.consumer == self.consumer
        )
        with self._reading() as conn:
            return conn.execute(query).scalar() or 0

    def processed_count(self) -> int:
        """How many distinct events this consumer has applied."""
        query = select(processed_events.c.event_id).where(
            processed_events.c.consumer == self.consumer
        )
        with self._reading() as conn:
            return len(conn.execute(query).all())

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite it does not queue behind writers."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn, conn.begin():
            yield conn
