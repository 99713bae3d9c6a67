"""Reactions to the other services' contract events: facts, notices, reminders, in one go.

The subscription runner calls the handler once per event inside its transaction; the local
facts, the queued notifications, the stored reminders, the runner's processed id and its
checkpoint commit together. Nothing is sent here: the dispatcher delivers later, outside the
runner's transaction, so a slow webhook never holds up the bus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection

from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore
from notification.application.queueing import queue_notices
from notification.application.reminders import cancel_series, schedule_deadline
from notification.domain import rules
from notification.projections import queries
from notification.projections.read_models import apply_fact

Handler = Callable[[RecordedEvent, Connection], None]


def event_handler(
    store: SqlEventStore,
    service_name: str,
    *,
    reminder_offsets_days: Sequence[int],
    reminder_hour: int,
    now: Callable[[], datetime],
) -> Handler:
    """The runner's handler for every consumed contract event."""
    actor = Actor.service(service_name)

    def when_event_published_notify_and_remind(event: RecordedEvent, conn: Connection) -> None:
        """Keep the facts, queue the notices the rules ask for, store or cancel reminders."""
        data = event.data.model_dump(mode="json")
        apply_fact(event.event_type, data, conn)
        metadata = EventMetadata.caused_by(event, actor)
        params = rules.template_params(event.event_type, data)
        params.update(queries.names_of(conn, data))
        for rule in rules.rules_for(event.event_type):
            queue_notices(
                store, conn, rule=rule.name, template=rule.template, targets=rule.targets(data),
                params=params, cause_event_id=event.event_id, cause_event_type=event.event_type,
                metadata=metadata, at=now(),
            )  # fmt: skip
        cancel_series(conn, rules.cancelled_series(event.event_type, data))
        for deadline in rules.deadlines_for(event.event_type):
            schedule_deadline(
                conn, deadline, data, cause_event_id=event.event_id,
                cause_event_type=event.event_type, correlation_id=event.correlation_id,
                offsets_days=reminder_offsets_days,
                hour=reminder_hour,
            )  # fmt: skip

    return when_event_published_notify_and_remind
