"""Reactions to the other services' contract events: facts, notices, reminders, in one go.

``reactions()`` is the table the kernel subscribes from (the consumers read exactly these types).
The subscription runner runs the reaction once per event inside its transaction; the local
facts, the queued notifications, the stored reminders, the runner's processed id and its
checkpoint commit together. Nothing is sent here: the dispatcher delivers later, outside the
runner's transaction, so a slow webhook never holds up the bus.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.contracts import PUBLISHERS
from ccc_shared.contracts.base import EventData
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.service import Reaction
from notification.application.queueing import queue_notices
from notification.application.reminders import cancel_series, schedule_deadline
from notification.domain import rules
from notification.projections import queries
from notification.projections.read_models import CERTIFICATE_STATUS, apply_fact


def when_event_published_notify_and_remind(
    app: Application[Any], event: RecordedEvent, conn: Connection
) -> None:
    """Keep the facts, queue the notices the rules ask for, store or cancel reminders."""
    settings = app.settings
    data = event.data.model_dump(mode="json")
    apply_fact(event.event_type, data, conn)
    metadata = app.caused_by(event)
    params = rules.template_params(event.event_type, data)
    params.update(queries.names_of(conn, data))
    for rule in rules.rules_for(event.event_type):
        queue_notices(
            app.store, conn, rule=rule.name, template=rule.template, targets=rule.targets(data),
            params=params, cause_event_id=event.event_id, cause_event_type=event.event_type,
            metadata=metadata, at=app.now(),
        )  # fmt: skip
    cancel_series(conn, rules.cancelled_series(event.event_type, data))
    for deadline in rules.deadlines_for(event.event_type):
        schedule_deadline(
            conn, deadline, data, cause_event_id=event.event_id,
            cause_event_type=event.event_type, correlation_id=event.correlation_id,
            offsets_days=settings.reminder_offsets_days,
            hour=settings.reminder_hour,
        )  # fmt: skip


# Events read only for the facts the rules look up (who certified, who keeps a dossier, ...).
FACT_EVENT_TYPES = frozenset(
    {"CertificateRegistered", "EnterpriseRegistered", "EnterpriseProfileUpdated",
     "CustodianAssigned", "CertificationBodyRegistered", "CaseOpened", "CaseAssigned",
     *CERTIFICATE_STATUS}
)  # fmt: skip
PUBLISHERS_READ = ("registry", "inspection", "enforcement")


def reactions() -> dict[type[EventData] | str, tuple[Reaction, ...]]:
    """Every event type a rule or a fact needs and a publisher has released: one reaction."""
    wanted = rules.consumed_event_types() | FACT_EVENT_TYPES
    return {
        name: (when_event_published_notify_and_remind,)
        for name in sorted(wanted)
        if any(PUBLISHERS[context].knows(name) for context in PUBLISHERS_READ)
    }
