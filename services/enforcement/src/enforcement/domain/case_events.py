"""The case's private events: steps only enforcement reads, kept in its own store.

Events other services need (opening, assignment, referral, warnings, guidance, rectification
orders and their verification, penalties, closure, report due and reported, missed deadlines)
are contracts in ``ccc_shared.contracts.enforcement``, re-exported here under the same names.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.enforcement import (
    CaseAssigned,
    CaseClosed,
    CaseOpened,
    CaseReferralAnswered,
    CaseReferred,
    CaseReportDue,
    CaseReportedToCNCA,
    DeadlineMissed,
    GuidanceGiven,
    PenaltyDecided,
    RectificationOrdered,
    RectificationVerified,
    WarningIssued,
)

private_events = EventRegistry()

NoPenaltyReason = Literal["not_established", "warning_sufficient", "rectified", "minor_guidance"]


@private_events.register
class ClueDropped(EventData):
    """A clue was not registered as a case, for a recorded reason."""

    event_type = "ClueDropped"
    case_number: str
    reason: str = Field(min_length=1)
    dropped_on: date


@private_events.register
class CaseRegistered(EventData):
    """The clue was registered (立案); the decision is due 90 days later."""

    event_type = "CaseRegistered"
    case_number: str
    registered_on: date
    decision_due_on: date


@private_events.register
class InvestigationStarted(EventData):
    """Evidence gathering began on a registered case."""

    event_type = "InvestigationStarted"
    case_number: str
    started_on: date


@private_events.register
class PartyNotified(EventData):
    """The party was told the intended penalty and its right to statement and hearing (告知)."""

    event_type = "PartyNotified"
    case_number: str
    notified_on: date
    intended: str = Field(min_length=1)


@private_events.register
class DecisionDeadlineExtended(EventData):
    """The decision deadline moved 30 days, on a recorded approval."""

    event_type = "DecisionDeadlineExtended"
    case_number: str
    approved_by: str = Field(min_length=1)
    approval_reference: str = Field(min_length=1)
    extended_on: date
    decision_due_on: date


@private_events.register
class NoPenaltyDecided(EventData):
    """The case was decided without an administrative penalty."""

    event_type = "NoPenaltyDecided"
    case_number: str
    reason_code: NoPenaltyReason
    reason: str = ""
    decided_on: date


@private_events.register
class DecisionExecuted(EventData):
    """The penalty decision was carried out (fine paid, goods confiscated, ...)."""

    event_type = "DecisionExecuted"
    case_number: str
    executed_on: date
    remarks: str = ""


CaseEvent = (
    CaseOpened
    | ClueDropped
    | CaseRegistered
    | CaseAssigned
    | InvestigationStarted
    | PartyNotified
    | DecisionDeadlineExtended
    | WarningIssued
    | RectificationOrdered
    | RectificationVerified
    | GuidanceGiven
    | PenaltyDecided
    | NoPenaltyDecided
    | DecisionExecuted
    | CaseClosed
    | CaseReportDue
    | DeadlineMissed
    | CaseReferred
    | CaseReferralAnswered
    | CaseReportedToCNCA
)

__all__ = [
    "CaseAssigned",
    "CaseEvent",
    "CaseReferralAnswered",
    "CaseReferred",
    "CaseRegistered",
    "CaseReportedToCNCA",
    "ClueDropped",
    "DecisionDeadlineExtended",
    "DecisionExecuted",
    "GuidanceGiven",
    "InvestigationStarted",
    "NoPenaltyDecided",
    "NoPenaltyReason",
    "PartyNotified",
    "RectificationVerified",
    "private_events",
]
