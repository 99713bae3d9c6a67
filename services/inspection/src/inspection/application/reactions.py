"""Reactions to the registry's and enforcement's contract events.

``REACTIONS`` is the table the kernel subscribes from: each event type and the reactions it
sets off, in order (the consumers are filtered to exactly these types). The subscription
runner runs them once per event inside its transaction, so the local rows, any inspection
scheduled or cancelled, the runner's processed id and checkpoint commit together.

From the registry: the local enterprises and certificates, surprise inspections when a
certificate is withdrawn, re-planned patrols, campaign certifications. From enforcement: a
complaint received (举报投诉) leads to a follow-up inspection (every complaint leads to an
inspection or a case); a rectification ordered leads to a check on its deadline, naming the
case; a case opened for a violation an inspection found is shown with that inspection. Each
scheduled inspection's id is derived from the cause event's id, so the same cause delivered
again (even past the runner's processed-ids ledger) finds it scheduled and does nothing; a
re-plan and a campaign certification are idempotent by their aggregates' state.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.enforcement import CaseOpened, ComplaintReceived, RectificationOrdered
from ccc_shared.contracts.registry import (
    CertificateCancelled,
    CertificateRegistered,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
    EnterpriseClassified,
    EnterpriseProfileUpdated,
    EnterpriseRegistered,
)
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.handling import bureau_day
from ccc_shared.service import Reaction
from inspection.application.aggregates import INSPECTION
from inspection.application.planner import PatrolPlanner
from inspection.domain.campaigns import RecordCertification
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.projections.campaign_queries import campaigns_making
from inspection.projections.read_models import (
    STATUS_AFTER,
    apply_certificate_event,
    apply_enterprise_event,
    record_case_of_violation,
)
from inspection.settings import Settings

App = Application[Settings]
CertificateWithdrawn = CertificateSuspended | CertificateRevoked | CertificateCancelled
WITHDRAWN_STATUS: dict[type[CertificateWithdrawn], str] = {
    CertificateSuspended: "suspended",
    CertificateRevoked: "revoked",
    CertificateCancelled: "cancelled",
}


def surprise_inspection_id(cause: RecordedEvent) -> str:
    """The id of the surprise inspection one cause schedules: the same for every delivery."""
    return f"surprise-{cause.event_id}"


def complaint_followup_id(cause: RecordedEvent) -> str:
    """The follow-up inspection one complaint event schedules: the same for every delivery."""
    return f"complaint-{cause.event_id}"


def rectification_check_id(cause: RecordedEvent) -> str:
    """The rectification check one order event schedules: the same for every delivery."""
    return f"rectification-{cause.event_id}"


def surprise_inspection(
    cause: RecordedEvent, data: CertificateWithdrawn, within_days: int, today: date
) -> ScheduleInspection:
    """A surprise inspection to check that production stopped, due ``within_days`` of the cause."""
    status = WITHDRAWN_STATUS[type(data)]
    return ScheduleInspection(
        inspection_id=surprise_inspection_id(cause),
        enterprise_credit_code=data.holder_credit_code,
        kind="surprise",
        due_on=max(bureau_day(cause.occurred_at) + timedelta(days=within_days), today),
        cause=(
            f"certificate {data.certificate_number} {status} ({data.article}):"
            " check that production stopped"
        ),
    )


def complaint_followup(
    cause: RecordedEvent, data: ComplaintReceived, within_days: int, today: date
) -> ScheduleInspection:
    """A follow-up inspection of the enterprise complained about, due ``within_days`` of receipt."""
    joined = f", joins case {data.joined_case_number}" if data.joined_case_number else ""
    return ScheduleInspection(
        inspection_id=complaint_followup_id(cause),
        enterprise_credit_code=data.subject_credit_code,
        kind="complaint_followup",
        due_on=max(data.received_on + timedelta(days=within_days), today),
        cause=f"complaint {data.complaint_id} ({data.channel}): {data.problem}{joined}",
    )


def rectification_check(
    cause: RecordedEvent, data: RectificationOrdered, today: date
) -> ScheduleInspection:
    """A check of the order's subject on the order's deadline (today if it has passed)."""
    return ScheduleInspection(
        inspection_id=rectification_check_id(cause),
        enterprise_credit_code=data.subject_credit_code,
        kind="rectification_check",
        due_on=max(data.deadline, today),
        cause=f"case {data.case_number}: rectification ordered on {data.ordered_on}: "
        f"{data.requirement}",
        case_number=data.case_number,
    )


def schedule_once(
    app: App, command: ScheduleInspection, cause: RecordedEvent, conn: Connection
) -> None:
    """Schedule the inspection a cause asks for, unless that cause already scheduled it."""
    if not app.exists(INSPECTION.name, command.inspection_id, conn):
        app.execute(command, app.caused_by(cause), conn=conn)


def keep_local_register(app: App, event: RecordedEvent, conn: Connection) -> None:
    """Keep the local copy of the registry's enterprises and certificates."""
    apply_enterprise_event(event.data, conn)
    apply_certificate_event(event.data, conn)


def when_certificate_suspended_schedule_surprise_inspection(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A suspension, revocation or cancellation schedules one surprise inspection."""
    assert isinstance(event.data, CertificateWithdrawn)
    within = app.settings.surprise_inspection_within_days
    schedule_once(app, surprise_inspection(event, event.data, within, app.today()), event, conn)


def when_enterprise_classified_replan_patrols(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A new class moves the enterprise's next patrol: cancel the stale one, plan anew."""
    data = event.data
    assert isinstance(data, EnterpriseClassified)
    reason = f"class {data.old_class or 'none'} -> {data.new_class}"
    PatrolPlanner.of(app).replan(data.credit_code, reason, app.caused_by(event), conn)


def when_certificate_registered_advance_campaigns(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A certificate for a campaign category certifies that category of its holder."""
    data = event.data
    assert isinstance(data, CertificateRegistered)
    for campaign_id in campaigns_making(conn, data.holder_credit_code, data.product_category):
        command = RecordCertification(
            campaign_id=campaign_id,
            credit_code=data.holder_credit_code,
            product_category=data.product_category,
            certificate_number=data.certificate_number,
        )
        app.execute(command, app.caused_by(event), conn=conn)


def when_complaint_received_schedule_followup(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A complaint brings a follow-up inspection of its subject."""
    assert isinstance(event.data, ComplaintReceived)
    within = app.settings.complaint_followup_within_days
    schedule_once(app, complaint_followup(event, event.data, within, app.today()), event, conn)


def when_rectification_ordered_schedule_check(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A rectification order brings a check at its deadline, naming its case."""
    assert isinstance(event.data, RectificationOrdered)
    schedule_once(app, rectification_check(event, event.data, app.today()), event, conn)


def when_case_opened_for_violation_name_it(
    app: App, event: RecordedEvent, conn: Connection
) -> None:
    """A case opened for a violation is shown with the inspection that found it."""
    data = event.data
    assert isinstance(data, CaseOpened)
    if data.violation_id is not None:
        record_case_of_violation(data.violation_id, data.case_number, conn)


REGISTER = (keep_local_register,)
REACTIONS: dict[type[EventData] | str, tuple[Reaction, ...]] = {
    EnterpriseRegistered: REGISTER,
    EnterpriseProfileUpdated: REGISTER,
    EnterpriseClassified: (*REGISTER, when_enterprise_classified_replan_patrols),
    CertificateRegistered: (*REGISTER, when_certificate_registered_advance_campaigns),
    CertificateRenewed: REGISTER,
    CertificateScopeChanged: REGISTER,
    **{status_change: REGISTER for status_change in STATUS_AFTER},
    **{
        withdrawn: (*REGISTER, when_certificate_suspended_schedule_surprise_inspection)
        for withdrawn in WITHDRAWN_STATUS
    },
    ComplaintReceived: (when_complaint_received_schedule_followup,),
    RectificationOrdered: (when_rectification_ordered_schedule_check,),
    CaseOpened: (when_case_opened_for_violation_name_it,),
}
