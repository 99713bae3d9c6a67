"""Orders to an inspection, the patrol record it completes with, and its private events.

Assignment and start matter only inside the service (the supervisor's task board); they are
stored as private events in ``PRIVATE`` and never published. The contract events live in
``ccc_shared.contracts.inspection``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.inspection import (
    AreaCheck,
    FindingRecorded,
    InspectionCancelled,
    InspectionCompleted,
    InspectionKind,
    InspectionScheduled,
    PatrolArea,
    ProductSeen,
    RectificationChecked,
    ViolationFound,
)

from .base import Command, State

PRIVATE = EventRegistry()

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

    areas: tuple[AreaCheck, ...] = ()
    products_seen: tuple[ProductSeen, ...] = ()
    enterprise_feedback: str = Field(
        default="", description="the enterprise's problems, opinions and suggestions"
    )
    industry_problems: str = Field(default="", description="industry-wide problems noticed")
    inspectors: tuple[str, ...] = ()

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

    inspection_id: str = Field(min_length=1)


class ScheduleInspection(InspectionCommand):
    """Plan an inspection of an enterprise, due on a day, for a cause (plan, complaint, ...)."""

    enterprise_credit_code: str = Field(min_length=18, max_length=18)
    kind: InspectionKind
    due_on: date
    cause: str = ""
    certification_body: str | None = None
    case_number: str | None = None


class AssignInspection(InspectionCommand):
    """Give a scheduled inspection to a department and a named, accountable inspector."""

    department: str = Field(min_length=1)
    inspector: str = Field(min_length=1)
    # the inspector's user id: once given, only that person (or a section head) starts and
    # completes the inspection
    inspector_id: str | None = Field(default=None, min_length=1)


class StartInspection(InspectionCommand):
    """The assigned inspector begins the inspection on site."""


class CompleteInspection(InspectionCommand):
    """Close the inspection with its patrol record, checked against the certificates known."""

    record: PatrolRecord
    certificates: tuple[CertificateFact, ...] = ()


class CancelInspection(InspectionCommand):
    """Call off an inspection that has not completed, saying why."""

    reason: str = Field(min_length=1)


@PRIVATE.register
class InspectionAssigned(EventData):
    """The inspection was given to a department and a named inspector."""

    event_type = "InspectionAssigned"
    inspection_id: str
    department: str
    inspector: str
    assigned_on: date
    inspector_id: str | None = None


@PRIVATE.register
class InspectionStarted(EventData):
    """The inspector began the inspection on site."""

    event_type = "InspectionStarted"
    inspection_id: str
    started_on: date


InspectionEvent = (
    InspectionScheduled
    | InspectionAssigned
    | InspectionStarted
    | InspectionCompleted
    | InspectionCancelled
    | ViolationFound
    | FindingRecorded
    | RectificationChecked
)
