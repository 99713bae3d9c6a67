"""HTTP routes for special campaigns: launch, survey producers, record their steps, progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field

from ccc_shared.eventstore.envelope import new_event_id
from ccc_shared.runtime.http import App, CommandResult, run_command
from inspection.api.context import COMMAND_RESPONSES, Metadata, Store
from inspection.api.schemas import ID_PATTERN, Body
from inspection.domain.campaigns import (
    LaunchCampaign,
    ManualStep,
    RaiseUncertifiedProducers,
    RecordCampaignStep,
    SurveyEnterprise,
)
from inspection.projections import campaign_queries

router = APIRouter(tags=["campaigns"])
CampaignId = Annotated[str, Path(pattern=ID_PATTERN)]
CreditCode = Annotated[str, Path(min_length=18, max_length=18)]
CAMPAIGN_RESPONSES = {**COMMAND_RESPONSES, 404: {"description": "Unknown campaign"}}


class CampaignPlan(Body):
    """A campaign to launch; the id is generated when not given."""

    campaign_id: str | None = Field(default=None, pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    product_categories: list[str] = Field(min_length=1)
    regions: list[str] = Field(default_factory=list, description="empty: the whole jurisdiction")
    deadline: date


class SurveyedEnterprise(Body):
    """A producer the survey found, and the campaign categories it makes."""

    credit_code: str = Field(min_length=18, max_length=18)
    product_categories: list[str] = Field(min_length=1)
    notes: str = ""


class CampaignStepBody(Body):
    """A step the enterprise took: informed of the rules, applied, or stopped producing."""

    step: ManualStep
    notes: str = ""


class Participant(BaseModel):
    """One enterprise's progress in a campaign."""

    credit_code: str
    product_categories: list[str]
    certified_categories: list[str]
    surveyed_on: date | None
    informed_on: date | None
    applied_on: date | None
    certified_on: date | None
    stopped_production_on: date | None
    certified: bool
    violation_id: str | None


class CampaignSummary(BaseModel):
    """A campaign's scope and deadline."""

    campaign_id: str
    title: str
    product_categories: list[str]
    regions: list[str]
    deadline: date
    launched_on: date
    version: int


class CampaignView(CampaignSummary):
    """A campaign with its enterprises' progress and the known producers not yet surveyed."""

    enterprises: list[Participant]
    not_surveyed: list[str]


@router.post("/campaigns", status_code=201, responses=CAMPAIGN_RESPONSES)
def launch_campaign(plan: CampaignPlan, app: App, metadata: Metadata) -> CommandResult:
    """Launch a campaign: product categories, regions in scope, and the deadline."""
    campaign_id = plan.campaign_id or f"CAM-{new_event_id().hex}"
    command = LaunchCampaign(
        campaign_id=campaign_id,
        title=plan.title,
        product_categories=tuple(plan.product_categories),
        regions=tuple(plan.regions),
        deadline=plan.deadline,
    )
    return run_command(app, command, metadata)


@router.post("/campaigns/{campaign_id}/enterprises", responses=CAMPAIGN_RESPONSES)
def survey_campaign_enterprise(
    campaign_id: CampaignId,
    body: SurveyedEnterprise,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """Enter a producer found by the survey (already certified categories count at once)."""
    command = SurveyEnterprise(
        campaign_id=campaign_id,
        credit_code=body.credit_code,
        product_categories=tuple(body.product_categories),
        notes=body.notes,
    )
    return run_command(app, command, metadata)


@router.post(
    "/campaigns/{campaign_id}/enterprises/{credit_code}/steps", responses=CAMPAIGN_RESPONSES
)
def record_campaign_step(
    campaign_id: CampaignId,
    credit_code: CreditCode,
    body: CampaignStepBody,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """Record that a surveyed enterprise was informed, applied, or stopped producing."""
    command = RecordCampaignStep(
        campaign_id=campaign_id, credit_code=credit_code, step=body.step, notes=body.notes
    )
    return run_command(app, command, metadata)


@router.post("/campaigns/{campaign_id}/raise-uncertified", responses=CAMPAIGN_RESPONSES)
def raise_uncertified_producers(
    campaign_id: CampaignId, app: App, metadata: Metadata
) -> CommandResult:
    """After the deadline, raise every producer still making uncertified products (once each)."""
    command = RaiseUncertifiedProducers(campaign_id=campaign_id)
    return run_command(app, command, metadata)


@router.get("/campaigns")
def list_campaigns(store: Store) -> list[CampaignSummary]:
    """Every campaign, latest deadline first."""
    with store.reading() as conn:
        rows = campaign_queries.list_campaigns(conn)
    return [CampaignSummary.model_validate(row) for row in rows]


@router.get("/campaigns/{campaign_id}", responses={404: {"description": "Unknown campaign"}})
def get_campaign(campaign_id: CampaignId, store: Store) -> CampaignView:
    """One campaign with each enterprise's progress and the producers not yet surveyed."""
    with store.reading() as conn:
        row = campaign_queries.get_campaign(conn, campaign_id)
    if row is None:
        raise HTTPException(404, f"campaign {campaign_id} is not launched")
    return CampaignView.model_validate(row)
