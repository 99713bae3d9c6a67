"""HTTP routes for certification bodies: register, record findings, rate, list and read one."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from ccc_shared.contracts import text
from ccc_shared.contracts.text import InputModel
from ccc_shared.runtime.http import App, CommandResult, Page, Paging, run_command
from enterprise_registry.api.context import COMMAND_RESPONSES, Metadata, Store, not_found
from enterprise_registry.domain.bodies import (
    CODE_PATTERN,
    PERIOD_PATTERN,
    RateCertificationBody,
    RecordBodyFinding,
    RegisterCertificationBody,
)
from enterprise_registry.domain.body_events import BodyRating, FindingSeverity, FindingSource
from enterprise_registry.projections import body_views

router = APIRouter(tags=["certification bodies"])
Code = Annotated[str, Path(pattern=CODE_PATTERN)]
UNKNOWN: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown certification body"}}


class FindingBody(InputModel):
    """A finding about the body's work; give ``finding_id`` to make a retry harmless."""

    finding_id: text.Identifier | None = None
    found_on: date
    source: FindingSource
    description: text.Description
    severity: FindingSeverity


class RatingBody(InputModel):
    """The body's rating for a period (2026, 2026-H1, 2026-Q3 or 2026-05) and the reasons."""

    period: str = Field(pattern=PERIOD_PATTERN)
    rating: BodyRating
    reasons: list[text.Reason] = Field(min_length=1, max_length=100)


class FindingView(BaseModel):
    """One finding about a body's work."""

    finding_id: str
    found_on: date
    source: str
    description: str
    severity: str


class RatingView(BaseModel):
    """A body's rating for one period."""

    period: str
    rating: str
    reasons: list[str]
    rated_on: date


class IssuedCertificate(BaseModel):
    """A certificate the body issued, as the register holds it now."""

    number: str
    holder_credit_code: str
    product_category: str
    status: str
    expires_on: date


class BodyView(BaseModel):
    """A certification body, its latest rating and its read-model version."""

    code: str
    name: str
    accreditation_number: str
    contact: str
    registered_on: date
    rating: str | None
    rating_period: str | None
    version: int


class BodyDetail(BodyView):
    """A body with the certificates it issued, the findings about it and its ratings."""

    certificates: list[IssuedCertificate]
    findings: list[FindingView]
    ratings: list[RatingView]


@router.post("/certification-bodies", status_code=201, responses=COMMAND_RESPONSES)
def register_body(
    command: RegisterCertificationBody, app: App, metadata: Metadata
) -> CommandResult:
    """Enter a certification body into the register."""
    return run_command(app, command, metadata)


@router.post("/certification-bodies/{code}/findings", responses=COMMAND_RESPONSES)
def record_finding(code: Code, finding: FindingBody, app: App, metadata: Metadata) -> CommandResult:
    """Record a finding about the body's work (patrol, complaint, other)."""
    fields = finding.model_dump(exclude={"finding_id"})
    finding_id = finding.finding_id or uuid4().hex
    command = RecordBodyFinding(code=code, finding_id=finding_id, **fields)
    return run_command(app, command, metadata)


@router.post("/certification-bodies/{code}/ratings", responses=COMMAND_RESPONSES)
def rate_body(code: Code, rating: RatingBody, app: App, metadata: Metadata) -> CommandResult:
    """Rate the body's work over a period (no event if the same rating is given again)."""
    command = RateCertificationBody(
        code=code, period=rating.period, rating=rating.rating, reasons=tuple(rating.reasons)
    )
    return run_command(app, command, metadata)


@router.get("/certification-bodies")
def list_bodies(
    store: Store,
    page: Paging,
) -> Page[BodyView]:
    """The registered certification bodies, by code."""
    with store.reading() as conn:
        total, rows = body_views.list_bodies(conn, limit=page.limit, offset=page.offset)
    items = [BodyView.model_validate(row) for row in rows]
    return page.of(items, total)


@router.get("/certification-bodies/{code}", responses=UNKNOWN)
def get_body(code: Code, store: Store) -> BodyDetail:
    """One body with the certificates it issued (by code or name), findings and ratings."""
    with store.reading() as conn:
        row = body_views.get_body(conn, code)
    if row is None:
        raise not_found(f"certification body {code}")
    return BodyDetail.model_validate(row)
