"""The baseline side of the store bench: the ``eventsourcing`` library, configured as documented.

Its docs configure persistence through the application environment: ``PERSISTENCE_MODULE``
(``eventsourcing.sqlite`` / ``eventsourcing.postgres``) plus ``SQLITE_DBNAME`` or the
``POSTGRES_*`` connection keys. Commands are aggregate methods decorated with ``@event``;
``app.save(aggregate)`` records the pending events of a command in one transaction. Reading
all goes through the application sequence (``recorder.select_notifications``), each stored
event decoded by the application's own mapper (``mapper.to_domain_event``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.common import PG_HOST, PG_PORT, PG_USER, payload

READ_BATCH = 1000


class Inspection(Aggregate):
    """An aggregate whose command triggers ``count`` bench events."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.notes = 0

    @event("Noted")
    def note(
        self,
        enterprise_id: str,
        certificate_no: str,
        inspector: str,
        sequence: int,
        finding: str,
        remarks: str,
    ) -> None:
        self.notes += 1

    def note_many(self, first_sequence: int, count: int) -> None:
        """The command: record ``count`` findings."""
        for sequence in range(first_sequence, first_sequence + count):
            self.note(**payload(sequence))


class InspectionApp(Application[UUID]):
    """A plain eventsourcing application (no snapshots)."""


def sqlite_env(path: str) -> dict[str, str]:
    """The documented environment for the SQLite persistence module."""
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}


def postgres_env(dbname: str) -> dict[str, str]:
    """The documented environment for the PostgreSQL persistence module."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": PG_HOST,
        "POSTGRES_PORT": PG_PORT,
        "POSTGRES_USER": PG_USER,
        "POSTGRES_PASSWORD": "",
    }


class EventsourcingSide:
    """Runs the bench commands against an eventsourcing application."""

    name = "eventsourcing"

    def __init__(self, env: dict[str, str], aggregates: int) -> None:
        self.app = InspectionApp(env=env)
        self.aggregates: list[Inspection] = []
        for index in range(aggregates):
            aggregate = Inspection(label=f"case-{index}")
            self.app.save(aggregate)
            self.aggregates.append(aggregate)
        self.sequence = 0

    def append(self, commands: int, per_command: int) -> int:
        """Run ``commands`` commands of ``per_command`` events each; returns events written."""
        aggregates, save = self.aggregates, self.app.save
        for command in range(commands):
            aggregate = aggregates[command % len(aggregates)]
            aggregate.note_many(self.sequence, per_command)
            self.sequence += per_command
            save(aggregate)
        return commands * per_command

    def read(self, count: int) -> int:
        """Read the first ``count`` events of the application sequence as domain events."""
        select, to_domain_event = (
            self.app.recorder.select_notifications,
            self.app.mapper.to_domain_event,
        )
        decoded: list[Any] = []
        start = 1
        while len(decoded) < count:
            batch = select(start, min(READ_BATCH, count - len(decoded)))
            if not batch:
                break
            decoded.extend(to_domain_event(notification) for notification in batch)
            start = batch[-1].id + 1
        assert type(decoded[-1]).__qualname__ == "Inspection.Noted", type(decoded[-1])
        return len(decoded)

    def total(self) -> int:
        """How many events the application sequence holds."""
        return self.app.recorder.max_notification_id() or 0

    def close(self) -> None:
        self.app.close()
