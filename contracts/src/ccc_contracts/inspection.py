"""Contract events published by the inspection service on ``ccc.inspection.>``.

``ViolationFound`` is consumed by the registry and enforcement, ``RectificationChecked`` by
enforcement: a published shape is frozen (a new field means a new ``schema_version`` with an
upcaster). The inspection and campaign events feed the enterprise's dossier; assignment and
start of an inspection stay private to the service.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.text import (
    ADDRESS_MAX,
    COMPOSITE_ID_MAX,
    DESCRIPTION_MAX,
    IDENTIFIER_MAX,
    LABEL_MAX,
    PRODUCT_MAX,
    REASON_MAX,
)

CONTEXT = "inspection"
registry = EventRegistry()

ViolationKind = Literal[
    "no_certificate", "certificate_invalid", "product_mismatch", "mark_misuse", "external"
]
InspectionKind = Literal[
    "patrol",
    "surprise",
    "spot_check",
    "joint_verification",
    "complaint_followup",
    "rectification_check",
]
# The five areas of the daily patrol record form (日常巡查记录表), in the form's order.
PatrolArea = Literal["purchasing", "production", "testing", "warehousing", "mark_use"]
AreaResult = Literal["conforming", "nonconforming", "not_applicable"]
Severity = Literal["minor"]


class RecordLine(BaseModel):
    """A part of a published record: frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class AreaCheck(RecordLine):
    """One area of the patrol record form and what the inspectors found there."""

    area: PatrolArea
    result: AreaResult
    notes: str = Field(default="", max_length=REASON_MAX)


class ProductSeen(RecordLine):
    """A product found being made on site, as its nameplate and papers show it."""

    product_category: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    model: str = Field(min_length=1, max_length=PRODUCT_MAX)
    certificate_number: str | None = Field(default=None, max_length=IDENTIFIER_MAX)


@registry.register
class ViolationFoundV1(EventData):
    """A finding that breaks the CCC rules; enforcement opens exactly one case for it."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="ViolationFound")
    event_type = "ViolationFound"
    violation_id: str = Field(min_length=1, max_length=COMPOSITE_ID_MAX)
    enterprise_credit_code: CreditCode
    kind: ViolationKind
    article: str = Field(max_length=IDENTIFIER_MAX)
    inspection_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    certificate_number: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    evidence: list[str] = Field(default_factory=list)


@registry.register
class ViolationFound(EventData):
    """A finding that breaks the CCC rules; enforcement opens exactly one case for it.

    Version 2 adds traceability: ``found_at`` (the seller or site where an unqualified product
    was found, when not at its maker) and ``external_jurisdiction`` (the administrative
    division code of the bureau responsible for a maker outside this jurisdiction; set exactly
    when ``kind`` is ``external``, so enforcement refers the case and notification tells that
    bureau).
    """

    event_type = "ViolationFound"
    schema_version = 2
    violation_id: str = Field(min_length=1, max_length=COMPOSITE_ID_MAX)
    enterprise_credit_code: CreditCode
    kind: ViolationKind
    article: str = Field(max_length=IDENTIFIER_MAX)
    inspection_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    certificate_number: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    evidence: list[str] = Field(default_factory=list)
    found_at: str | None = Field(default=None, max_length=ADDRESS_MAX)
    external_jurisdiction: str | None = Field(default=None, pattern=r"^[0-9]{6}$")


@registry.upcaster("ViolationFound", from_version=1)
def violation_found_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 violation was found at its maker, inside the jurisdiction."""
    return {**payload, "found_at": None, "external_jurisdiction": None}


@registry.register
class InspectionScheduledV1(EventData):
    """An inspection of an enterprise is planned, with the day it is due and what caused it."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="InspectionScheduled")
    event_type = "InspectionScheduled"
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    kind: InspectionKind
    due_on: date
    scheduled_on: date
    cause: str = Field(default="", max_length=REASON_MAX)
    certification_body: str | None = Field(default=None, max_length=IDENTIFIER_MAX)


@registry.register
class InspectionScheduled(EventData):
    """An inspection of an enterprise is planned, with the day it is due and what caused it.

    Version 2 adds ``case_number``: the enforcement case whose rectification order a
    ``rectification_check`` verifies (set exactly for that kind), so its result can name it.
    """

    event_type = "InspectionScheduled"
    schema_version = 2
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    kind: InspectionKind
    due_on: date
    scheduled_on: date
    cause: str = Field(default="", max_length=REASON_MAX)
    certification_body: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    case_number: str | None = Field(default=None, max_length=IDENTIFIER_MAX)


@registry.upcaster("InspectionScheduled", from_version=1)
def inspection_scheduled_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 inspection verified no rectification order."""
    return {**payload, "case_number": None}


@registry.register
class InspectionCompleted(EventData):
    """An inspection is done; the patrol record it produced goes into the dossier."""

    event_type = "InspectionCompleted"
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    kind: InspectionKind
    completed_on: date
    due_on: date
    inspectors: list[str] = Field(min_length=1)
    areas: list[AreaCheck]
    products_seen: list[ProductSeen] = Field(default_factory=list)
    enterprise_feedback: str = Field(default="", max_length=DESCRIPTION_MAX)
    industry_problems: str = Field(default="", max_length=DESCRIPTION_MAX)
    violations: int = Field(ge=0)
    minor_findings: int = Field(ge=0)


@registry.register
class InspectionCancelled(EventData):
    """A planned inspection will not take place, and why."""

    event_type = "InspectionCancelled"
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    kind: InspectionKind
    cancelled_on: date
    reason: str = Field(min_length=1, max_length=REASON_MAX)


@registry.register
class FindingRecorded(EventData):
    """A minor problem that breaks no rule: solved by guidance on the spot, and recorded."""

    event_type = "FindingRecorded"
    finding_id: str = Field(min_length=1, max_length=COMPOSITE_ID_MAX)
    enterprise_credit_code: CreditCode
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    severity: Severity = "minor"
    area: PatrolArea | None = None
    summary: str = Field(min_length=1, max_length=REASON_MAX)
    evidence: list[str] = Field(default_factory=list)


@registry.register
class RectificationChecked(EventData):
    """A rectification check found the order of a case carried out (``passed``) or not.

    Enforcement records it as the order's verification; a failed check escalates the case.
    """

    event_type = "RectificationChecked"
    inspection_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    checked_on: date
    passed: bool
    notes: str = Field(default="", max_length=REASON_MAX)


CampaignStep = Literal["surveyed", "informed", "applied", "certified", "stopped_production"]


@registry.register
class CampaignLaunched(EventData):
    """A special campaign (专项整治): its product categories certified by its deadline.

    ``regions`` is the part of the jurisdiction in scope (empty: all of it).
    """

    event_type = "CampaignLaunched"
    campaign_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    title: str = Field(min_length=1, max_length=LABEL_MAX)
    product_categories: list[str] = Field(min_length=1)
    regions: list[str] = Field(default_factory=list)
    deadline: date
    launched_on: date


@registry.register
class CampaignProgressRecorded(EventData):
    """An enterprise in a campaign's scope took a step: surveyed, informed, applied, certified,
    or stopped producing the campaign's products; each enters its dossier."""

    event_type = "CampaignProgressRecorded"
    campaign_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    enterprise_credit_code: CreditCode
    step: CampaignStep
    product_categories: list[str] = Field(default_factory=list)
    recorded_on: date
    notes: str = Field(default="", max_length=REASON_MAX)
