"""Inspection's three aggregates as data: stream name, key, commands, pure functions, read model.

Every Inspection, Campaign and Trace command goes through the kernel's ``Application.execute``,
from HTTP (its own transaction) and from the subscription runner and the periodic jobs (their
transaction, passed as ``conn``). Completing an inspection reads the local
certificates in that transaction (``prepare``), so the findings and ``InspectionCompleted`` are
decided on one view of the register and commit together; surveying a campaign's enterprise
reads its region and certificates the same way.
"""

from __future__ import annotations

from sqlalchemy import Connection

from ccc_shared.handling import Aggregate
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
    commands=(InspectionCommand,),
    key=_inspection_id,
    decide=inspections.decide,
    evolve=inspections.evolve,
    save=save_inspection,
    prepare=_with_certificates,
)


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
    commands=(CampaignCommand,),
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


AGGREGATES = (INSPECTION, CAMPAIGN, TRACE)
