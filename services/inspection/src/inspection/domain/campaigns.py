"""The Campaign aggregate: a special campaign (专项整治), e.g. seven fire-fighting products.

By a deadline every producer of the campaign's product categories in its regions must be
certified. The bureau surveys the producers, informs them of the rules, urges them to apply,
and each certificate the registry publishes for a category in scope certifies that category.

| command | when | events (progress steps) |
| --- | --- | --- |
| LaunchCampaign | new, deadline not past | CampaignLaunched |
| SurveyEnterprise | not yet surveyed, in scope | surveyed (+ certified, if it is) |
| RecordCampaignStep | surveyed, step not yet taken | informed / applied / stopped_production |
| RecordCertification | one of its categories, uncertified | certified (else nothing) |
| RaiseUncertifiedProducers | after the deadline | ViolationFound(no_certificate), once each |

After the deadline, a surveyed enterprise that still produces (no ``stopped_production``) a
category without a certificate has broken Order 117 art 2 (penalty art 49): it is raised once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.inspection import (
    CampaignLaunched,
    CampaignProgressRecorded,
    CampaignStep,
    ViolationFound,
)

from .base import Command, DomainError, State
from .findings import RULES

CampaignEvent = CampaignLaunched | CampaignProgressRecorded | ViolationFound
ManualStep = Literal["informed", "applied", "stopped_production"]


class Participant(State):
    """An enterprise in the campaign's scope and how far it has come."""

    credit_code: str
    product_categories: tuple[str, ...]
    steps: dict[CampaignStep, date] = Field(default_factory=dict)
    certified_categories: tuple[str, ...] = ()
    violation_id: str | None = None

    @property
    def uncertified(self) -> tuple[str, ...]:
        """The categories it makes that no certificate covers yet."""
        return tuple(c for c in self.product_categories if c not in self.certified_categories)


class Campaign(State):
    """One campaign: its scope, deadline, and every enterprise surveyed in it."""

    campaign_id: str
    title: str
    product_categories: tuple[str, ...]
    regions: tuple[str, ...]
    deadline: date
    launched_on: date
    participants: tuple[Participant, ...] = ()

    def participant(self, credit_code: str) -> Participant | None:
        """The enterprise's progress, if it was surveyed."""
        return next((p for p in self.participants if p.credit_code == credit_code), None)


class CampaignCommand(Command):
    """An order about one campaign, named by its id."""

    campaign_id: text.Identifier


class LaunchCampaign(CampaignCommand):
    """Start a campaign for these categories in these regions (empty: everywhere), by a deadline."""

    title: text.Label
    product_categories: tuple[text.Identifier, ...] = Field(min_length=1, max_length=200)
    regions: tuple[text.Region, ...] = Field(default=(), max_length=200)
    deadline: date


class SurveyEnterprise(CampaignCommand):
    """A producer found by the survey, with the categories in scope it makes.

    ``region`` (when the register knows the enterprise) and ``certified_categories`` (its
    certificates valid today) are filled from the local projections.
    """

    credit_code: CreditCode
    product_categories: tuple[text.Identifier, ...] = Field(min_length=1, max_length=200)
    notes: text.OptionalReason = ""
    region: text.Region | None = None
    certified_categories: tuple[text.Identifier, ...] = Field(default=(), max_length=200)


class RecordCampaignStep(CampaignCommand):
    """The enterprise was informed of the rules, applied for certification, or stopped producing."""

    credit_code: CreditCode
    step: ManualStep
    notes: text.OptionalReason = ""


class RecordCertification(CampaignCommand):
    """A certificate for one of the enterprise's categories was registered."""

    credit_code: CreditCode
    product_category: text.Identifier
    certificate_number: text.Identifier


class RaiseUncertifiedProducers(CampaignCommand):
    """After the deadline: raise every producer still making a category without a certificate."""


def decide(state: Campaign | None, command: CampaignCommand, today: date) -> list[CampaignEvent]:
    """The events a command produces on the campaign today, or a DomainError saying why not."""
    if isinstance(command, LaunchCampaign):
        return [launched(state, command, today)]
    if state is None:
        raise DomainError(
            f"campaign {command.campaign_id}: is not launched",
            code="campaign.not_launched",
            fields=["campaign_id"],
        )
    match command:
        case SurveyEnterprise():
            return surveyed(state, command, today)
        case RecordCampaignStep():
            member = member_of(state, command.credit_code)
            if command.step in member.steps:
                raise refusal(
                    state,
                    f"{command.credit_code} is already {command.step}",
                    code="campaign.step_already_done",
                    fields=["credit_code"],
                )
            return [progress(state, member.credit_code, command.step, today, notes=command.notes)]
        case RecordCertification():
            member = member_of(state, command.credit_code)
            category = command.product_category
            if category not in member.uncertified:
                return []  # not one of its categories, or certified already: nothing new
            notes = f"certificate {command.certificate_number}"
            return [progress(state, member.credit_code, "certified", today, (category,), notes)]
        case RaiseUncertifiedProducers():
            if today <= state.deadline:
                raise refusal(
                    state,
                    f"the deadline {state.deadline} has not passed",
                    code="campaign.deadline_not_passed",
                )
            return [violation(state, member) for member in still_producing(state.participants)]
    raise AssertionError(f"no rule for {type(command).__name__}")


def refusal(state: Campaign, message: str, *, code: str, fields: Sequence[str] = ()) -> DomainError:
    """A domain error naming the campaign it is about; ``code`` names the rule."""
    return DomainError(f"campaign {state.campaign_id}: {message}", code=code, fields=fields)


def launched(state: Campaign | None, command: LaunchCampaign, today: date) -> CampaignLaunched:
    """Launch the campaign, refusing a second launch or a deadline already past."""
    if state is not None:
        raise refusal(
            state, "is already launched", code="campaign.already_launched", fields=["campaign_id"]
        )
    if command.deadline < today:
        raise DomainError(
            f"campaign {command.campaign_id}: the deadline {command.deadline} is past",
            code="campaign.deadline_past",
            fields=["deadline"],
        )
    return CampaignLaunched(
        campaign_id=command.campaign_id,
        title=command.title,
        product_categories=sorted(set(command.product_categories)),
        regions=sorted(set(command.regions)),
        deadline=command.deadline,
        launched_on=today,
    )


def member_of(state: Campaign, credit_code: str) -> Participant:
    """The surveyed enterprise, or a refusal: steps follow the survey."""
    member = state.participant(credit_code)
    if member is None:
        raise refusal(
            state,
            f"{credit_code} has not been surveyed",
            code="campaign.enterprise_not_surveyed",
            fields=["credit_code"],
        )
    return member


def surveyed(state: Campaign, command: SurveyEnterprise, today: date) -> list[CampaignEvent]:
    """Enter a producer into the campaign, with the categories it already has certified."""
    if state.participant(command.credit_code) is not None:
        raise refusal(
            state,
            f"{command.credit_code} is already surveyed",
            code="campaign.enterprise_already_surveyed",
            fields=["credit_code"],
        )
    outside = sorted(set(command.product_categories) - set(state.product_categories))
    if outside:
        raise refusal(
            state,
            f"categories {', '.join(outside)} are not in the campaign",
            code="campaign.category_outside",
            fields=["product_categories"],
        )
    if state.regions and command.region is not None and command.region not in state.regions:
        raise refusal(
            state,
            f"{command.credit_code} is in {command.region}, outside its regions",
            code="campaign.region_outside",
            fields=["region"],
        )
    categories = tuple(sorted(set(command.product_categories)))
    events: list[CampaignEvent] = [
        progress(state, command.credit_code, "surveyed", today, categories, command.notes)
    ]
    certified = tuple(c for c in categories if c in command.certified_categories)
    if certified:
        events.append(
            progress(state, command.credit_code, "certified", today, certified, "found certified")
        )
    return events


def progress(
    state: Campaign,
    credit_code: str,
    step: CampaignStep,
    today: date,
    categories: tuple[str, ...] = (),
    notes: str = "",
) -> CampaignProgressRecorded:
    """One step of one enterprise."""
    return CampaignProgressRecorded(
        campaign_id=state.campaign_id,
        enterprise_credit_code=credit_code,
        step=step,
        product_categories=list(categories),
        recorded_on=today,
        notes=notes,
    )


def still_producing(participants: Iterable[Participant]) -> list[Participant]:
    """Producers not yet raised that make a category without a certificate and did not stop."""
    return [
        member
        for member in participants
        if member.uncertified
        and "stopped_production" not in member.steps
        and member.violation_id is None
    ]


def campaign_violation_id(campaign_id: str, credit_code: str) -> str:
    """The one violation a campaign raises against an enterprise."""
    return f"{campaign_id}/{credit_code}"


def violation(state: Campaign, member: Participant) -> ViolationFound:
    """The producer still making uncertified products after the deadline (Order 117 art 2)."""
    kind, article = RULES["no_certificate"]
    steps = ", ".join(f"{step} {day}" for step, day in member.steps.items())
    return ViolationFound(
        violation_id=campaign_violation_id(state.campaign_id, member.credit_code),
        enterprise_credit_code=member.credit_code,
        kind=kind,
        article=article,
        evidence=[
            "rule no_certificate",
            f"campaign {state.campaign_id} ({state.title}) deadline {state.deadline}",
            f"still producing without a certificate: {', '.join(member.uncertified)}",
            f"progress: {steps}",
        ],
    )


def evolve(state: Campaign | None, event: CampaignEvent) -> Campaign:
    """The campaign after one of its events."""
    if isinstance(event, CampaignLaunched):
        return Campaign(
            campaign_id=event.campaign_id,
            title=event.title,
            product_categories=tuple(event.product_categories),
            regions=tuple(event.regions),
            deadline=event.deadline,
            launched_on=event.launched_on,
        )
    if state is None:
        raise DomainError("campaign: event before launch", code="event.out_of_order")
    code = event.enterprise_credit_code
    member = state.participant(code)
    if member is None:
        categories = event.product_categories if isinstance(event, CampaignProgressRecorded) else []
        member = Participant(credit_code=code, product_categories=tuple(categories))
    match event:
        case CampaignProgressRecorded(step="certified"):
            certified = (*member.certified_categories, *event.product_categories)
            steps = {**member.steps, "certified": event.recorded_on}
            member = member.model_copy(update={"certified_categories": certified, "steps": steps})
        case CampaignProgressRecorded():
            steps = {**member.steps, event.step: event.recorded_on}
            member = member.model_copy(update={"steps": steps})
        case ViolationFound():
            member = member.model_copy(update={"violation_id": event.violation_id})
    known = any(p.credit_code == code for p in state.participants)
    participants = tuple(member if p.credit_code == code else p for p in state.participants)
    return state.model_copy(
        update={"participants": participants if known else (*participants, member)}
    )


def replay(events: Iterable[CampaignEvent]) -> Campaign | None:
    """The campaign its events describe (None before launch)."""
    state: Campaign | None = None
    for event in events:
        state = evolve(state, event)
    return state
