"""The enterprise's private events: facts only this service reads, kept in its own store.

Events other services need (registration, profile, class, spot checks) are contracts in
``ccc_contracts.registry``; these stay inside the registry and may change shape with it.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.registry import CustodianAssigned
from enterprise_registry.domain.classification import CreditRating, QualityStatus

private_events = EventRegistry()

__all__ = ["CreditRatingRecorded", "CustodianAssigned", "QualityStatusRecorded", "private_events"]


@private_events.register
class CreditRatingRecorded(EventData):
    """The market regulator's credit-risk rating of the enterprise, an input to its class."""

    event_type = "CreditRatingRecorded"
    credit_code: str
    rating: CreditRating
    source: str
    rated_on: date


@private_events.register
class QualityStatusRecorded(EventData):
    """An assessment of the enterprise's quality status, an input to its class."""

    event_type = "QualityStatusRecorded"
    credit_code: str
    status: QualityStatus
    source: str
    assessed_on: date


@private_events.register
class ViolationNoted(EventData):
    """A violation found by inspection (its ``ViolationFound``) counts against the enterprise."""

    event_type = "ViolationNoted"
    credit_code: str
    violation_id: str = Field(min_length=1)
    found_on: date


@private_events.register
class CaseNoted(EventData):
    """An enforcement case against the enterprise counts against it."""

    event_type = "CaseNoted"
    credit_code: str
    case_number: str = Field(min_length=1)
    opened_on: date
