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


class Statements:
    """SQL text of the hot paths for one dialect, with its timestamp conversions."""

    def __init__(self, dialect_name: str) -> None:
        self.postgres = dialect_name == "postgresql"
        render: Callable[[str], str] = (
            (lambda sql: re.sub(r":(\w+)", r"%(\1)s", sql)) if self.postgres else (lambda s: s)
        )
        self.lock = "SELECT pg_advisory_xact_lock(216793089)" if self.postgres else None
        self.begin = None if self.postgres else "BEGIN IMMEDIATE"
        self.head = render(
            "SELECT version, hash FROM stream_heads WHERE aggregate_type = :aggregate_type"
            " AND aggregate_id = :aggregate_id"
        )
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
        self.read_after = render(
            f"{SELECT_EVENTS} WHERE position > :after ORDER BY position LIMIT :limit"
        )
        self.stream = render(
            f"{SELECT_EVENTS} WHERE aggregate_type = :aggregate_type"
            " AND aggregate_id = :aggregate_id AND version <= :up_to AND recorded_at <= :as_of"
            " ORDER BY version"
        )
        self.outbox = render(
            "SELECT id, event_id, subject, body FROM outbox ORDER BY id LIMIT :limit"
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
