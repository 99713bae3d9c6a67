"""Durable timers: deadline reminders stored as schedule rows, fired by a periodic job.

A deadline event writes its reminders (one row each, id derived from the cause event and the
reminder's label) in the runner's transaction; the job claims the due rows, queues their
notices and marks them fired in one transaction. A restart therefore loses no reminder (the
rows wait in the database) and repeats none (a fired row is never claimed again, and the
notice's id is derived from cause, recipient and rule: queuing it twice finds it queued).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import Connection, insert, select, update

from ccc_contracts.envelope import Actor, EventMetadata
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import BUREAU_TIME
from notification.application.queueing import queue_notices
from notification.domain.rules import SECTION_HEAD, DeadlineRule, Target, reminders
from notification.projections.read_models import utc
from notification.projections.tables import schedules

log = structlog.get_logger("notification.reminders")


def schedule_deadline(
    conn: Connection,
    rule: DeadlineRule,
    data: Mapping[str, Any],
    *,
    cause_event_id: str,
    cause_event_type: str,
    correlation_id: str,
    offsets_days: Sequence[int],
    hour: int,
) -> int:
    """Store a deadline's reminders (again: nothing new); return how many were added."""
    due_on = datetime.fromisoformat(str(data[rule.due_field])).date()
    officer = rule.officer(data)
    params = {**data, "deadline": rule.deadline, "due_on": due_on.isoformat()}
    added = 0
    for reminder in reminders(due_on, offsets_days, hour, BUREAU_TIME):
        schedule_id = f"{cause_event_id}:{rule.name}:{reminder.label}"
        if conn.execute(
            select(schedules.c.schedule_id).where(schedules.c.schedule_id == schedule_id)
        ).first():
            continue
        target = Target("recipient", SECTION_HEAD) if reminder.escalate else officer
        conn.execute(
            insert(schedules).values(
                schedule_id=schedule_id, series=rule.series(data), rule=rule.name,
                label=reminder.label, escalate=reminder.escalate, target_kind=target.kind,
                target_key=target.key, cause_event_id=cause_event_id,
                cause_event_type=cause_event_type, correlation_id=correlation_id,
                params=json.dumps({**params, "when": reminder.label}, ensure_ascii=False),
                fire_at=utc(reminder.fire_at), status="pending",
            )
        )  # fmt: skip
        added += 1
    return added


def cancel_series(conn: Connection, series: Sequence[str]) -> None:
    """Drop the pending reminders of deadlines that are met (or escalated by their owner)."""
    for name in series:
        conn.execute(
            update(schedules)
            .where(schedules.c.series == name, schedules.c.status == "pending")
            .values(status="cancelled")
        )


def fire_due_reminders(
    store: SqlEventStore, service_name: str, now: Callable[[], datetime], limit: int = 200
) -> int:
    """Queue the notices of every reminder due by now and mark them fired; return how many."""
    moment = now()
    actor = Actor.service(service_name)
    with store.transaction() as conn:
        due = conn.execute(
            select(schedules)
            .where(schedules.c.status == "pending", schedules.c.fire_at <= utc(moment))
            .order_by(schedules.c.fire_at)
            .limit(limit)
        ).all()
        for row in due:
            claimed = conn.execute(
                update(schedules)
                .where(schedules.c.schedule_id == row.schedule_id,
                       schedules.c.status == "pending")
                .values(status="fired", fired_at=utc(moment))
            )  # fmt: skip
            if claimed.rowcount != 1:
                continue  # another instance fired it
            metadata = EventMetadata(actor=actor, causation_id=row.cause_event_id,
                                     correlation_id=row.correlation_id)  # fmt: skip
            queue_notices(
                store, conn, rule=f"{row.rule}:{row.label}",
                template="deadline_escalation" if row.escalate else "deadline_reminder",
                targets=[Target(row.target_kind, row.target_key)],
                params=json.loads(row.params), cause_event_id=row.cause_event_id,
                cause_event_type=row.cause_event_type, metadata=metadata, at=moment,
            )  # fmt: skip
    if due:
        log.info("reminders fired", count=len(due))
    return len(due)


def pending_reminders(store: SqlEventStore, series: str | None = None) -> list[dict[str, Any]]:
    """The stored reminders (for the API and tests), by fire time."""
    query = select(schedules).order_by(schedules.c.fire_at, schedules.c.schedule_id)
    if series:
        query = query.where(schedules.c.series == series)
    with store.reading() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
