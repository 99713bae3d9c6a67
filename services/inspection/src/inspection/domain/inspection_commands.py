"""Orders to an inspection, the patrol record it completes with, and its private events.

Assignment and start matter only inside the service (the supervisor's task board); they are
stored as private events in ``PRIVATE`` and never published. The contract events live in
``ccc_shared.contracts.inspection``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_shared.contracts import text
from ccc_shared.contracts.inspection import (
    AreaCheck,
    InspectionKind,
    PatrolArea,
    ProductSeen,
)
from ccc_shared.credit_code import CreditCode

from .base import Command, State

# The form's five areas in its order; completing needs an answer for each.
AREAS: tuple[PatrolArea, ...] = ("purchasing", "production", "testing", "warehousing", "mark_use")
AREA_TITLES: dict[PatrolArea, str] = {
    "purchasing": "purchasing",
    "production": "production",
    "testing": "testing",
    "warehousing": "warehousing",
    "mark_use": "use of the 3C mark",
}

CertificateStatus = Literal["valid", "suspended", "cancelled", "revoked", "expired"]


class PatrolRecord(State):
    """The daily patrol record form (日常巡查记录表) as the inspectors filled it in on site."""

    areas: tuple[AreaCheck, ...] = Field(default=(), max_length=len(AREAS))
    products_seen: tuple[ProductSeen, ...] = Field(default=(), max_length=text.MAX_LIST_ITEMS)
    enterprise_feedback: str = Field(
        default="",
        max_length=text.DESCRIPTION_MAX,
        description="the enterprise's problems, opinions and suggestions",
    )
    industry_problems: str = Field(
        default="", max_length=text.DESCRIPTION_MAX, description="industry-wide problems noticed"
    )
    inspectors: tuple[text.PersonName, ...] = Field(default=(), max_length=50)

    def answer(self, area: PatrolArea) -> AreaCheck | None:
        """The record's answer for one area, if it has one."""
        return next((check for check in self.areas if check.area == area), None)


class CertificateFact(State):
    """A certificate as the registry's events describe it: the findings check against these."""

    number: str = Field(min_length=1)
    holder_credit_code: str
    product_category: str
    models: tuple[str, ...]
    status: CertificateStatus


class InspectionCommand(Command):
    """An order about one inspection, named by its id."""

    inspection_id: text.Identifier


class ScheduleInspection(InspectionCommand):
    """Plan an inspection of an enterprise, due on a day, for a cause (plan, complaint, ...)."""

    enterprise_credit_code: CreditCode
    kind: InspectionKind
    due_on: date
    cause: text.OptionalReason = ""
    certification_body: text.Identifier | None = None
    case_number: text.Identifier | None = None


class AssignInspection(InspectionCommand):
    """Give a scheduled inspection to a department and a named, accountable inspector."""

    department: text.Label
    inspector: text.PersonName
    # the inspector's user id: once given, only that person (or a section head) starts and
    # completes the inspection
    inspector_id: text.Identifier | None = None


class StartInspection(InspectionCommand):
    """The assigned inspector begins the inspection on site."""


class CompleteInspection(InspectionCommand):
    """Close the inspection with its patrol record, checked against the certificates known."""

    record: PatrolRecord
    certificates: tuple[CertificateFact, ...] = ()


class CancelInspection(InspectionCommand):
    """Call off an inspection that has not completed, saying why."""

    reason: text.Reason
