"""Contract events published by the enforcement service on ``ccc.enforcement.>``.

Amounts are whole RMB yuan. A case's subject is an enterprise, a certification body or one of
its staff; the credit code is always the enterprise's or the body's (staff act for a body).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.inspection import ViolationKind

CONTEXT = "enforcement"
registry = EventRegistry()

CaseSource = Literal["violation", "complaint", "manual"]
SubjectKind = Literal["enterprise", "certification_body", "certification_body_staff"]
PenaltyType = Literal[
    "warning", "fine", "confiscation_of_illegal_gains", "order_to_correct", "order_to_stop"
]
DeadlineKind = Literal["register_decision", "case_decision", "rectification"]
ComplaintChannel = Literal["hotline", "letter", "web", "referral"]
CreditCode = Annotated[str, Field(min_length=18, max_length=18)]


@registry.register
class CaseOpened(EventData):
    """A case was opened as a clue; whether to register it is due on a working day."""

    event_type = "CaseOpened"
    case_number: str = Field(min_length=1)
    source: CaseSource
    violation_id: str | None = None
    complaint_id: str | None = None
    subject_kind: SubjectKind
    subject_credit_code: CreditCode
    subject_staff_name: str | None = None
    problem: ViolationKind
    opened_on: date
    register_decision_due_on: date


@registry.register
class WarningIssued(EventData):
    """A warning (告誡) was issued to the subject of a case (Order 117 art 37)."""

    event_type = "WarningIssued"
    case_number: str = Field(min_length=1)
    subject_credit_code: CreditCode
    article: str
    content: str = Field(min_length=1)
    issued_on: date


@registry.register
class RectificationOrdered(EventData):
    """The subject was ordered to correct a problem by a deadline."""

    event_type = "RectificationOrdered"
    case_number: str = Field(min_length=1)
    subject_credit_code: CreditCode
    requirement: str = Field(min_length=1)
    ordered_on: date
    deadline: date


@registry.register
class PenaltyDecided(EventData):
    """An administrative penalty was decided, with its basis and its decision document."""

    event_type = "PenaltyDecided"
    case_number: str = Field(min_length=1)
    subject_credit_code: CreditCode
    basis_article: str
    penalty_type: PenaltyType
    amount: int = Field(ge=0)
    decision_document_number: str = Field(min_length=1)
    decision_document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    decided_on: date


@registry.register
class CaseClosed(EventData):
    """A case was closed; its CNCA report falls due 20 days later."""

    event_type = "CaseClosed"
    case_number: str = Field(min_length=1)
    subject_credit_code: str = Field(min_length=18, max_length=18)
    outcome: str
    closed_on: date
    report_due_on: date
    opened_on: date | None = None
    report_required: bool = True


@registry.register
class CaseReportDue(EventData):
    """A closed penalty case must be reported to the CNCA enforcement system by this day."""

    event_type = "CaseReportDue"
    case_number: str = Field(min_length=1)
    subject_credit_code: CreditCode
    closed_on: date
    report_due_on: date


@registry.register
class DeadlineMissed(EventData):
    """A case deadline passed without the act it was for; the section head is told."""

    event_type = "DeadlineMissed"
    case_number: str = Field(min_length=1)
    subject_credit_code: CreditCode
    deadline: DeadlineKind
    due_on: date
    noticed_on: date
    escalated_to: Literal["section_head"] = "section_head"


@registry.register
class ComplaintReceived(EventData):
    """A complaint was recorded; the informant is masked (Order 117 art 48)."""

    event_type = "ComplaintReceived"
    complaint_id: str = Field(min_length=1)
    channel: ComplaintChannel
    subject_credit_code: CreditCode
    problem: ViolationKind
    received_on: date
    informant: str | None = None
    informant_contact: str | None = None
    joined_case_number: str | None = None
