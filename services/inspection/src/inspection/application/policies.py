"""Reactions to the registry's contract events: local enterprises and certificates, surprise
inspections, re-planned patrols, and campaign certifications.

The subscription runner calls the handler once per event inside its transaction; the local
rows, any inspection scheduled or cancelled, the runner's processed id and checkpoint commit
together. The surprise inspection's id is derived from the cause event's id, so the same cause
delivered again (even past the runner's processed-ids ledger) finds it scheduled and does
nothing; a re-plan and a campaign certification are idempotent by their aggregates' state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import Connection

from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent
from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateRegistered,
    CertificateRevoked,
    CertificateSuspended,
    EnterpriseClassified,
)
from ccc_shared.eventstore.sql import SqlEventStore
from inspection.application.handling import (
    BUREAU_TIME,
    bureau_today,
    execute,
    execute_campaign,
    stream_of,
)
from inspection.application.planner import PatrolPlanner
from inspection.domain.campaigns import RecordCertification
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.projections.campaign_queries import campaigns_making
from inspection.projections.read_models import apply_certificate_event, apply_enterprise_event

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
    planner: PatrolPlanner | None = None,
) -> RegistryHandler:
    """The runner's handler for the registry's contract events."""
    actor = Actor.service(service_name)

    def when_certificate_suspended_schedule_surprise_inspection(
        event: RecordedEvent, conn: Connection
    ) -> None:
        """A suspension, revocation or cancellation schedules one surprise inspection."""
        if not isinstance(event.data, CertificateWithdrawn):
            return
        inspection_id = surprise_inspection_id(event)
        if store.load(stream_of(inspection_id), conn=conn):
            return  # this cause already scheduled its inspection
        today = clock()
        command = surprise_inspection(event, event.data, surprise_within_days, today)
        execute(store, command, EventMetadata.caused_by(event, actor), conn=conn, today=today)

    def when_enterprise_classified_replan_patrols(event: RecordedEvent, conn: Connection) -> None:
        """A new class moves the enterprise's next patrol: cancel the stale one, plan anew."""
        data = event.data
        if planner is None or not isinstance(data, EnterpriseClassified):
            return
        reason = f"class {data.old_class or 'none'} -> {data.new_class}"
        planner.replan(data.credit_code, reason, EventMetadata.caused_by(event, actor), conn)

    def when_certificate_registered_advance_campaigns(
        event: RecordedEvent, conn: Connection
    ) -> None:
        """A certificate for a campaign category certifies that category of its holder."""
        data = event.data
        if not isinstance(data, CertificateRegistered):
            return
        for campaign_id in campaigns_making(conn, data.holder_credit_code, data.product_category):
            command = RecordCertification(
                campaign_id=campaign_id,
                credit_code=data.holder_credit_code,
                product_category=data.product_category,
                certificate_number=data.certificate_number,
            )
            metadata = EventMetadata.caused_by(event, actor)
            execute_campaign(store, command, metadata, conn=conn, today=clock())

    def handle_registry_event(event: RecordedEvent, conn: Connection) -> None:
        """Keep the local register, then run every reaction the event calls for."""
        apply_enterprise_event(event.data, conn)
        apply_certificate_event(event.data, conn)
        when_certificate_suspended_schedule_surprise_inspection(event, conn)
        when_enterprise_classified_replan_patrols(event, conn)
        when_certificate_registered_advance_campaigns(event, conn)

    return handle_registry_event
