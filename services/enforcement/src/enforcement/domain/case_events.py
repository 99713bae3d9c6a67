"""The case's private events: steps only enforcement reads, kept in its own store.

Events others need (opening, assignment, registration, investigation, notification of the
party, the handling clock and its extensions, referral, warnings, guidance, rectification orders
and their verification, penalties, execution, closure, report due and reported, missed
deadlines) are contracts in ``ccc_contracts.enforcement``, re-exported here under the
same names, so an auditor's stream shows every procedural step.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.enforcement import (
    CaseAssigned,
    CaseClosed,
    CaseOpened,
    CaseReferralAnswered,
    CaseReferred,
    CaseRegistered,
    CaseReportDue,
    CaseReportedToCNCA,
    DeadlineMissed,
    DecisionDeadlineExtended,
    DecisionExecuted,
    GuidanceGiven,
    HandlingClockRestarted,
    HandlingClockStopped,
    InvestigationStarted,
    PartyNotified,
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
class NoPenaltyDecided(EventData):
    """The case was decided without an administrative penalty."""

    event_type = "NoPenaltyDecided"
    case_number: str
    reason_code: NoPenaltyReason
    reason: str = ""
    decided_on: date


CaseEvent = (
    CaseOpened
    | ClueDropped
    | CaseRegistered
    | CaseAssigned
    | InvestigationStarted
    | PartyNotified
    | DecisionDeadlineExtended
    | HandlingClockStopped
    | HandlingClockRestarted
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
