"""The inspection aggregate's private events and the union of every event in its stream (the
contract ones live in ``ccc_shared.contracts.inspection``)."""

from __future__ import annotations

from datetime import date

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.inspection import (
    FindingRecorded,
    InspectionCancelled,
    InspectionCompleted,
    InspectionScheduled,
    RectificationChecked,
    ViolationFound,
)

PRIVATE = EventRegistry()


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
