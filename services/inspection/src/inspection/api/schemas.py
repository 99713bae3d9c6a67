"""Request and response bodies of the inspection HTTP API not given by the domain's commands."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from ccc_shared.contracts import text
from ccc_shared.contracts.inspection import InspectionKind
from ccc_shared.contracts.text import InputModel
from ccc_shared.credit_code import CreditCode

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # an inspection id is a token of its subject


class Body(InputModel):
    """A request body: unknown fields refused, text bounded and stripped."""


class InspectionPlan(Body):
    """An inspection to schedule; the id is generated when not given."""

    inspection_id: str | None = Field(default=None, pattern=ID_PATTERN)
    enterprise_credit_code: CreditCode
    kind: InspectionKind
    due_on: date
    cause: text.OptionalReason = ""
    certification_body: text.Identifier | None = None
    case_number: text.Identifier | None = None


class Assignment(Body):
    """The department and the named, accountable inspector (with their user id, only they or a
    section head may then start and complete it)."""

    department: text.Label
    inspector: text.PersonName
    inspector_id: text.Identifier | None = None


class Cancellation(Body):
    """Why the inspection is called off."""

    reason: text.Reason


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


class ViolationCase(BaseModel):
    """A violation the inspection found and the case enforcement opened for it (None: none yet)."""

    violation_id: str
    case_number: str | None


class InspectionDetail(InspectionView):
    """One inspection with each violation it found and the case that violation led to."""

    violations_found: list[ViolationCase]
