"""The store's hot statements, rendered once per dialect and run on the raw DBAPI cursor.

SQLAlchemy defines the schema and runs everything else; appends, reads and the outbox go
straight to the driver because its per-statement overhead (~20-70 us) was most of an append
(bench/: 1.4k appends/s through SQLAlchemy Core against 4.2k/s for eventsourcing on SQLite).
Statements are written with ``:name`` parameters; PostgreSQL (psycopg) gets ``%(name)s``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ccc_shared.eventstore.horizon import CURRENT_XACT, HORIZON

EVENT_COLUMNS = (
    "position",
    "event_id",
    "event_type",
    "schema_version",
    "aggregate_type",
    "aggregate_id",
    "version",
    "occurred_at",
    "recorded_at",
    "actor",
    "correlation_id",
    "causation_id",
    "source",
    "data",
    "prev_hash",
    "hash",
)
INSERTED_COLUMNS = EVENT_COLUMNS[1:]
SELECT_EVENTS = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"  # the format SQLAlchemy's SQLite DateTime stores


# what varies from event to event of one append (the rest of the envelope is shared)
PER_EVENT = (
    ("event_id", "text"),
    ("event_type", "text"),
    ("schema_version", "int"),
    ("version", "int"),
    ("data", "text"),
    ("prev_hash", "text"),
    ("hash", "text"),
    ("subject", "text"),
    ("body", "text"),
)
SHARED = (
    "aggregate_type",
    "aggregate_id",
    "occurred_at",
    "recorded_at",
    "actor",
    "correlation_id",
    "causation_id",
    "source",
)


def _postgres_append(head: str) -> str:
    """One statement that moves the head, inserts the events and their outbox rows.

    ``head`` is a data-modifying CTE returning the key ``tx``, or nothing when the stream is
    not where the writer expected it (then nothing is inserted and nothing is returned).
    """
    # binary arrays (``%b``): the text format escapes every element with a regex (~0.3 ms)
    arrays = ", ".join(f"%({name})b::{kind}[]" for name, kind in PER_EVENT)
    names = ", ".join(name for name, _ in PER_EVENT)
    columns = ", ".join(INSERTED_COLUMNS)
    values = ", ".join(
        f"%({name})s" if name in SHARED and not name.endswith("_at") else
        f"%({name})s::timestamptz" if name in SHARED else f"r.{name}"
        for name in INSERTED_COLUMNS
    )  # fmt: skip
    return (
        f"WITH head AS ({head}),"
        f" r AS (SELECT * FROM unnest({arrays}) AS r({names})),"
        f" ev AS (INSERT INTO events ({columns}, tx) SELECT {values}, head.tx FROM head, r"
        " ORDER BY r.version RETURNING position, event_id),"
        " ob AS (INSERT INTO outbox (id, event_id, subject, body, tx)"
        " SELECT ev.position, ev.event_id, r.subject, r.body, head.tx"
        " FROM ev JOIN r USING (event_id), head WHERE r.subject IS NOT NULL)"
        " SELECT position FROM ev"
    )


class Statements:
    """SQL text of the hot paths for one dialect, with its timestamp conversions."""

    def __init__(self, dialect_name: str) -> None:
        self.postgres = dialect_name == "postgresql"
        render: Callable[[str], str] = (
            (lambda sql: re.sub(r":(\w+)", r"%(\1)s", sql)) if self.postgres else (lambda s: s)
        )
        self.begin = None if self.postgres else "BEGIN IMMEDIATE"
        self.head = render(
            "SELECT version, hash FROM stream_heads WHERE aggregate_type = :aggregate_type"
            " AND aggregate_id = :aggregate_id"
        )
        # SQLite: one writer at a time, statement by statement (no round trips to save)
        self.insert_head = render(
            "INSERT INTO stream_heads (aggregate_type, aggregate_id, version, hash, updated_at)"
            " VALUES (:aggregate_type, :aggregate_id, :version, :hash, :updated_at)"
        )
        self.update_head = render(
            "UPDATE stream_heads SET version = :version, hash = :hash, updated_at = :updated_at"
            " WHERE aggregate_type = :aggregate_type AND aggregate_id = :aggregate_id"
            " AND version = :expected"
        )
        # the two bulk inserts take positional rows (tuples): binding by name cost a quarter
        marker = "%s" if self.postgres else "?"
        self.insert_event = (
            f"INSERT INTO events ({', '.join(INSERTED_COLUMNS)})"
            f" VALUES ({', '.join([marker] * len(INSERTED_COLUMNS))})"
        )
        self.insert_outbox = (
            f"INSERT INTO outbox (event_id, subject, body) VALUES ({marker}, {marker}, {marker})"
        )
        # PostgreSQL: an append is one statement (one round trip), guarded by the head
        self.append_new = _postgres_append(
            "INSERT INTO stream_heads (aggregate_type, aggregate_id, version, hash, updated_at, tx)"
            " VALUES (%(aggregate_type)s, %(aggregate_id)s, %(new_version)s, %(new_hash)s,"
            f" %(recorded_at)s::timestamptz, {CURRENT_XACT})"
            " ON CONFLICT DO NOTHING RETURNING tx"
        )
        self.append_next = _postgres_append(
            "UPDATE stream_heads SET version = %(new_version)s, hash = %(new_hash)s,"
            f" updated_at = %(recorded_at)s::timestamptz, tx = greatest(tx, {CURRENT_XACT})"
            " WHERE aggregate_type = %(aggregate_type)s AND aggregate_id = %(aggregate_id)s"
            " AND version = %(expected)s AND hash = %(expected_hash)s RETURNING tx"
        )
        if self.postgres:
            # commit order: (tx, position), and only below the horizon (module docstring)
            self.read_after = (
                f"{SELECT_EVENTS} WHERE (tx, position) > (COALESCE((SELECT tx FROM events"
                " WHERE position = %(after)s), -1), %(after)s)"
                f" AND tx < {HORIZON} ORDER BY tx, position LIMIT %(limit)s"
            )
            self.outbox = (
                "SELECT id, event_id, subject, body FROM outbox"
                f" WHERE tx < {HORIZON} ORDER BY tx, id LIMIT %(limit)s"
            )
        else:
            self.read_after = (
                f"{SELECT_EVENTS} WHERE position > :after ORDER BY position LIMIT :limit"
            )
            self.outbox = "SELECT id, event_id, subject, body FROM outbox ORDER BY id LIMIT :limit"
        self.stream = render(
            f"{SELECT_EVENTS} WHERE aggregate_type = :aggregate_type"
            " AND aggregate_id = :aggregate_id AND version <= :up_to AND recorded_at <= :as_of"
            " ORDER BY version"
        )
        self.unpublish = render("DELETE FROM outbox WHERE id = :id")
        self.unpublish_range = render("DELETE FROM outbox WHERE id BETWEEN :first AND :last")
        self.outbox_size = "SELECT count(*) FROM outbox"

    def to_db(self, moment: datetime) -> Any:
        """A tz-aware timestamp as the driver stores it (SQLite: naive UTC text)."""
        moment = moment.astimezone(UTC)
        return moment if self.postgres else moment.strftime(SQLITE_TIMESTAMP)

    def from_db(self, value: Any) -> datetime:
        """A stored timestamp back as a tz-aware UTC datetime."""
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return datetime.fromisoformat(value).replace(tzinfo=UTC)


class WireTemplate:
    """Builds the published JSON of events that share one append's envelope fields.

    Byte for byte what ``RecordedEvent.from_json`` reads; the shared part is encoded once,
    and the per-event fields (validated ids, names and hex hashes) need no escaping.
    """

    def __init__(self, context: str, common: dict[str, Any]) -> None:
        shared = {
            "aggregate_type": common["aggregate_type"],
            "aggregate_id": common["aggregate_id"],
            "occurred_at": common["occurred_at"].isoformat(),
            "recorded_at": common["recorded_at"].isoformat(),
            "correlation_id": common["correlation_id"],
            "causation_id": common["causation_id"],
            "source": common["source"],
        }
        encoded = json.dumps(shared, ensure_ascii=False, separators=(",", ":"))
        self._shared = f'{encoded[1:-1]},"actor":{common["actor"]}'
        self._subject = f"ccc.{context}.{common['aggregate_type']}.{common['aggregate_id']}."

    def subject(self, event_type: str) -> str:
        """ccc.<context>.<aggregate_type>.<aggregate_id>.<EventType>."""
        return self._subject + event_type

    def body(
        self, event_id: str, event_type: str, schema_version: int, version: int, data: str,
        digest: str, prev_hash: str,
    ) -> str:  # fmt: skip
        """One event's wire JSON."""
        return (
            f'{{"event_id":"{event_id}","event_type":"{event_type}",'
            f'"schema_version":{schema_version},"version":{version},{self._shared},'
            f'"data":{data},"hash":"{digest}","prev_hash":"{prev_hash}"}}'
        )
