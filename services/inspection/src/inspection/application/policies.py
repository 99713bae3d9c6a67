"""Reactions to the registry's contract events: the local certificates, and surprise inspections.

The subscription runner calls the handler once per event inside its transaction; the local
certificate row, any inspection scheduled, the runner's processed id and checkpoint commit
together. The surprise inspection's id is derived from the cause event's id, so the same cause
delivered again (even past the runner's processed-ids ledger) finds it scheduled and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import Connection

from ccc_shared.contracts.registry import (
    CertificateCancelled,
    CertificateRevoked,
    CertificateSuspended,
)
from ccc_shared.eventstore.envelope import Actor, EventMetadata, RecordedEvent
from ccc_shared.eventstore.sql import SqlEventStore
from inspection.application.handling import BUREAU_TIME, bureau_today, execute, stream_of
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.projections.read_models import apply_certificate_event

RegistryHandler = Callable[[RecordedEvent, Connection], None]
CertificateWithdrawn = CertificateSuspended | CertificateRevoked | CertificateCancelled
WITHDRAWN_STATUS: dict[type[CertificateWithdrawn], str] = {
    CertificateSuspended: "suspended",
    CertificateRevoked: "revoked",
    CertificateCancelled: "cancelled",
}


def surprise_inspection_id(cause: RecordedEvent) -> str:
    """The id of the surprise inspection one cause schedules: the same for every delivery."""
    return f"surprise-{cause.event_id}"


def surprise_inspection(
    cause: RecordedEvent, data: CertificateWithdrawn, within_days: int, today: date
) -> ScheduleInspection:
    """A surprise inspection to check that production stopped, due ``within_days`` of the cause."""
    caused_on = cause.occurred_at.astimezone(BUREAU_TIME).date()
    status = WITHDRAWN_STATUS[type(data)]
    return ScheduleInspection(
        inspection_id=surprise_inspection_id(cause),
        enterprise_credit_code=data.holder_credit_code,
        kind="surprise",
        due_on=max(caused_on + timedelta(days=within_days), today),
        cause=(
            f"certificate {data.certificate_number} {status} ({data.article}):"
            " check that production stopped"
        ),
    )


def registry_event_handler(
    store: SqlEventStore,
    service_name: str,
    surprise_within_days: int,
    clock: Callable[[], date] = bureau_today,
) -> RegistryHandler:
    """The runner's handler for the registry's contract events."""
    actor = Actor.service(service_name)

    def when_certificate_suspended_schedule_surprise_inspection(
        event: RecordedEvent, conn: Connection
    ) -> None:
        """Track the certificate; a suspension, revocation or cancellation also schedules."""
        apply_certificate_event(event.data, conn)
        if not isinstance(event.data, CertificateWithdrawn):
            return
        inspection_id = surprise_inspection_id(event)
        if store.load(stream_of(inspection_id), conn=conn):
            return  # this cause already scheduled its inspection
        today = clock()
        command = surprise_inspection(event, event.data, surprise_within_days, today)
        execute(store, command, EventMetadata.caused_by(event, actor), conn=conn, today=today)

    return when_certificate_suspended_schedule_surprise_inspection
