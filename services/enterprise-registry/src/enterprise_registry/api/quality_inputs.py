"""HTTP routes for the classification inputs: spot-check results, credit rating, quality status."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from ccc_shared.contracts import text
from ccc_shared.contracts.text import InputModel
from ccc_shared.credit_code import CreditCode
from ccc_shared.runtime.http import App, CommandResult, run_command
from enterprise_registry.api.context import COMMAND_RESPONSES, Metadata
from enterprise_registry.domain.classification import CreditRating, QualityStatus, SpotCheckLevel
from enterprise_registry.domain.enterprise_commands import (
    RecordCreditRating,
    RecordQualityStatus,
    RecordSpotCheckResult,
)

router = APIRouter(tags=["classification inputs"])


class Input(InputModel):
    """An input to the enterprise's class; unknown fields refused, text bounded."""


class SpotCheckBody(Input):
    """A spot-check result (抽查) or another department's quality information about a product."""

    spot_check_id: text.Identifier
    level: SpotCheckLevel
    checked_on: date
    product_category: text.Identifier
    passed: bool
    defects: list[text.Reason] = Field(default_factory=list, max_length=100)


class CreditRatingBody(Input):
    """The market regulator's credit-risk rating and where it comes from."""

    rating: CreditRating
    source: text.Label
    rated_on: date


class QualityStatusBody(Input):
    """An assessment of the enterprise's quality status and where it comes from."""

    status: QualityStatus
    source: text.Label
    assessed_on: date


@router.post("/enterprises/{credit_code}/spot-checks", responses=COMMAND_RESPONSES)
def record_spot_check(
    credit_code: CreditCode, body: SpotCheckBody, app: App, metadata: Metadata
) -> CommandResult:
    """Record a spot-check result (once per id); it enters the dossier and may move the class."""
    fields = body.model_dump(exclude={"defects"})
    command = RecordSpotCheckResult(credit_code=credit_code, defects=tuple(body.defects), **fields)
    return run_command(app, command, metadata)


@router.post("/enterprises/{credit_code}/credit-rating", responses=COMMAND_RESPONSES)
def record_credit_rating(
    credit_code: CreditCode, body: CreditRatingBody, app: App, metadata: Metadata
) -> CommandResult:
    """Record the credit-risk rating (no event if unchanged); it may move the class."""
    command = RecordCreditRating(credit_code=credit_code, **body.model_dump())
    return run_command(app, command, metadata)


@router.post("/enterprises/{credit_code}/quality-status", responses=COMMAND_RESPONSES)
def record_quality_status(
    credit_code: CreditCode, body: QualityStatusBody, app: App, metadata: Metadata
) -> CommandResult:
    """Record the quality status (no event if unchanged); it may move the class."""
    command = RecordQualityStatus(credit_code=credit_code, **body.model_dump())
    return run_command(app, command, metadata)
