"""The service's command entry points: the shared load-decide-append on its three aggregates.

Every Inspection, Campaign and Trace command goes through ``execute`` / ``execute_campaign`` /
``execute_trace``, from HTTP (its own transaction) and from the subscription runner and the
periodic jobs (their transaction, passed as ``conn``). Completing an inspection reads the local
certificates in that transaction (``prepare``), so the findings and ``InspectionCompleted`` are
decided on one view of the register and commit together; surveying a campaign's enterprise
reads its region and certificates the same way.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from ccc_contracts.envelope import EventMetadata, RecordedEvent, StreamId
from ccc_shared import handling
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import BUREAU_TIME, Aggregate, UnknownAggregateError, bureau_today
from inspection.domain import campaigns, inspections, traceability
from inspection.domain.campaigns import CampaignCommand, LaunchCampaign, SurveyEnterprise
from inspection.domain.inspection_commands import (
    CompleteInspection,
    InspectionCommand,
    ScheduleInspection,
)
from inspection.domain.traceability import RecordUnqualifiedProduct
from inspection.projections.plan_queries import certified_categories, enterprise_region
from inspection.projections.queries import certificate_facts
from inspection.projections.read_models import save_campaign, save_inspection, save_trace

__all__ = [
    "BUREAU_TIME",
    "CAMPAIGN",
    "INSPECTION",
    "TRACE",
    "UnknownAggregateError",
    "bureau_today",
    "execute",
    "execute_campaign",
    "execute_trace",
]


def _inspection_id(command: InspectionCommand) -> str:
    return command.inspection_id


def _with_certificates(
    command: InspectionCommand, state: inspections.Inspection | None, conn: Connection
) -> InspectionCommand:
    """A completion carries the local register's facts on the certificates the record shows."""
    if not isinstance(command, CompleteInspection) or state is None:
        return command
    shown = [p.certificate_number for p in command.record.products_seen if p.certificate_number]
    known = certificate_facts(conn, state.enterprise_credit_code, shown)
    return command.model_copy(update={"certificates": known})


INSPECTION: Aggregate[inspections.Inspection, InspectionCommand] = Aggregate(
    name="inspection",
    noun="inspection",
    creation=ScheduleInspection,
    key=_inspection_id,
    decide=inspections.decide,
    evolve=inspections.evolve,
    save=save_inspection,
    prepare=_with_certificates,
)


def stream_of(inspection_id: str) -> StreamId:
    """The stream holding one inspection's events."""
    return INSPECTION.stream(inspection_id)


def execute(
    store: SqlEventStore,
    command: InspectionCommand,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on the inspection's history and append the events (none if no change)."""
    return handling.execute(store, INSPECTION, command, metadata, conn=conn, today=today)


def _campaign_id(command: CampaignCommand) -> str:
    return command.campaign_id


def _with_register(
    command: CampaignCommand, state: campaigns.Campaign | None, conn: Connection
) -> CampaignCommand:
    """A survey carries the enterprise's region and certified categories from the register."""
    if not isinstance(command, SurveyEnterprise):
        return command
    facts = {
        "region": enterprise_region(conn, command.credit_code),
        "certified_categories": certified_categories(conn, command.credit_code),
    }
    return command.model_copy(update=facts)


CAMPAIGN: Aggregate[campaigns.Campaign, CampaignCommand] = Aggregate(
    name="campaign",
    noun="campaign",
    creation=LaunchCampaign,
    key=_campaign_id,
    decide=campaigns.decide,
    evolve=campaigns.evolve,
    save=save_campaign,
    prepare=_with_register,
)


def _trace_id(command: RecordUnqualifiedProduct) -> str:
    return command.trace_id


TRACE: Aggregate[traceability.Trace, RecordUnqualifiedProduct] = Aggregate(
    name="trace",
    noun="trace",
    creation=RecordUnqualifiedProduct,
    key=_trace_id,
    decide=traceability.decide,
    evolve=traceability.evolve,
    save=save_trace,
)


def execute_campaign(
    store: SqlEventStore,
    command: CampaignCommand,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Decide a command on the campaign's history and append the events (none if no change)."""
    return handling.execute(store, CAMPAIGN, command, metadata, conn=conn, today=today)


def execute_trace(
    store: SqlEventStore,
    command: RecordUnqualifiedProduct,
    metadata: EventMetadata,
    *,
    conn: Connection | None = None,
    today: date | None = None,
) -> list[RecordedEvent]:
    """Record a trace and append its events."""
    return handling.execute(store, TRACE, command, metadata, conn=conn, today=today)
