"""Request and response bodies of the inspection HTTP API not given by the domain's commands."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ccc_shared.contracts.inspection import InspectionKind

ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"  # an inspection id is a token of its subject


class Body(BaseModel):
    """A request body: unknown fields refused."""

    model_config = ConfigDict(extra="forbid")


class InspectionPlan(Body):
    """An inspection to schedule; the id is generated when not given."""

    inspection_id: str | None = Field(default=None, pattern=ID_PATTERN)
    enterprise_credit_code: str = Field(min_length=18, max_length=18)
    kind: InspectionKind
    due_on: date
    cause: str = ""
    certification_body: str | None = None
    case_number: str | None = Field(default=None, min_length=1)


class Assignment(Body):
    """The department and the named, accountable inspector (with their user id, only they or a
    section head may then start and complete it)."""

    department: str = Field(min_length=1)
    inspector: str = Field(min_length=1)
    inspector_id: str | None = Field(default=None, min_length=1)


class Cancellation(Body):
    """Why the inspection is called off."""

    reason: str = Field(min_length=1)


class InspectionView(BaseModel):
    """An inspection as the read model holds it; ``overdue`` is computed at query time."""

    inspection_id: str
    enterprise_credit_code: str
    kind: InspectionKind
    status: str
    scheduled_on: date
    due_on: date
    cause: str
    certification_body: str | None
    case_number: str | None
    department: str | None
    inspector: str | None
    started_on: date | None
    closed_on: date | None
    cancel_reason: str | None
    violations: int
    minor_findings: int
    overdue: bool
    version: int


class InspectionPage(BaseModel):
    """One page of inspections and how many match in all."""

    total: int
    limit: int
    offset: int
    items: list[InspectionView]
