"""Contract events published by the enforcement service on ``ccc.enforcement.>``.

Amounts are whole RMB yuan. A case's subject is an enterprise, a certification body or one of
its staff; the credit code is always the enterprise's or the body's (staff act for a body).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.inspection import ViolationKind
from ccc_shared.contracts.text import (
    CONTACT_MAX,
    DESCRIPTION_MAX,
    DOCUMENT_NUMBER_MAX,
    IDENTIFIER_MAX,
    LABEL_MAX,
    PERSON_NAME_MAX,
    REASON_MAX,
)
from ccc_shared.credit_code import CreditCode

CONTEXT = "enforcement"
registry = EventRegistry()

CaseSource = Literal["violation", "complaint", "manual"]
SubjectKind = Literal["enterprise", "certification_body", "certification_body_staff"]
PenaltyType = Literal[
    "warning", "fine", "confiscation_of_illegal_gains", "order_to_correct", "order_to_stop"
]
DeadlineKindV1 = Literal["register_decision", "case_decision", "rectification"]
DeadlineKind = Literal["register_decision", "case_decision", "rectification", "cnca_report"]
ComplaintChannel = Literal["hotline", "letter", "web", "referral"]


@registry.register
class CaseOpened(EventData):
    """A case was opened as a clue; whether to register it is due on a working day."""

    event_type = "CaseOpened"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    source: CaseSource
    violation_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    complaint_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    subject_kind: SubjectKind
    subject_credit_code: CreditCode
    subject_staff_name: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    problem: ViolationKind
    opened_on: date
    register_decision_due_on: date


@registry.register
class WarningIssued(EventData):
    """A warning (告诫) was issued to the subject of a case (Order 117 art 37)."""

    event_type = "WarningIssued"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    article: str = Field(max_length=IDENTIFIER_MAX)
    content: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    issued_on: date


@registry.register
class RectificationOrdered(EventData):
    """The subject was ordered to correct a problem by a deadline."""

    event_type = "RectificationOrdered"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    requirement: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    ordered_on: date
    deadline: date


@registry.register
class PenaltyDecided(EventData):
    """An administrative penalty was decided, with its basis and its decision document."""

    event_type = "PenaltyDecided"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    basis_article: str = Field(max_length=IDENTIFIER_MAX)
    penalty_type: PenaltyType
    amount: int = Field(ge=0)
    decision_document_number: str = Field(min_length=1, max_length=DOCUMENT_NUMBER_MAX)
    decision_document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    decided_on: date


@registry.register
class CaseClosed(EventData):
    """A case was closed; its CNCA report falls due 20 days later."""

    event_type = "CaseClosed"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    outcome: str = Field(max_length=LABEL_MAX)
    closed_on: date
    report_due_on: date
    opened_on: date | None = None
    report_required: bool = True


@registry.register
class CaseReportDue(EventData):
    """A closed penalty case must be reported to the CNCA enforcement system by this day."""

    event_type = "CaseReportDue"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    closed_on: date
    report_due_on: date


@registry.register
class DeadlineMissedV1(EventData):
    """A case deadline passed without the act it was for; the section head is told."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="DeadlineMissed")
    event_type = "DeadlineMissed"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    deadline: DeadlineKindV1
    due_on: date
    noticed_on: date
    escalated_to: Literal["section_head"] = "section_head"


@registry.register
class DeadlineMissed(EventData):
    """A case deadline passed without the act it was for; the section head is told.

    Version 2 adds the deadline ``cnca_report``: a closed penalty case not reported to the
    CNCA within 20 days of closure.
    """

    event_type = "DeadlineMissed"
    schema_version = 2
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    deadline: DeadlineKind
    due_on: date
    noticed_on: date
    escalated_to: Literal["section_head"] = "section_head"


@registry.upcaster("DeadlineMissed", from_version=1)
def deadline_missed_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Every version 1 deadline kind is a version 2 kind unchanged."""
    return payload


@registry.register
class ComplaintReceived(EventData):
    """A complaint was recorded; the informant is masked (Order 117 art 48)."""

    event_type = "ComplaintReceived"
    complaint_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    channel: ComplaintChannel
    subject_credit_code: CreditCode
    problem: ViolationKind
    received_on: date
    informant: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    informant_contact: str | None = Field(default=None, max_length=CONTACT_MAX)
    joined_case_number: str | None = None


@registry.register
class CaseAssigned(EventData):
    """A department and a named officer answer for the case; the earlier ones are kept.

    ``officer`` is the officer's user id (the assignee notification tells), ``officer_name``
    the name shown to people.
    """

    event_type = "CaseAssigned"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    department: str = Field(min_length=1, max_length=LABEL_MAX)
    officer: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    officer_name: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    previous_department: str | None = Field(default=None, max_length=LABEL_MAX)
    previous_officer: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    reason: str = Field(default="", max_length=REASON_MAX)
    assigned_on: date


@registry.register
class CaseReferred(EventData):
    """A clue about a violator outside the jurisdiction was referred to that bureau.

    ``to_jurisdiction`` is the administrative division code of the bureau it goes to.
    """

    event_type = "CaseReferred"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    violation_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    problem: ViolationKind
    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    referred_on: date


@registry.register
class CaseReferralAnswered(EventData):
    """The bureau a case was referred to accepted it (the case closes here) or rejected it.

    A rejected referral comes back as a clue, due for a register decision on a working day.
    """

    event_type = "CaseReferralAnswered"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    accepted: bool
    remarks: str = Field(default="", max_length=REASON_MAX)
    answered_on: date
    register_decision_due_on: date | None = None


@registry.register
class RectificationVerified(EventData):
    """A rectification order was checked: passed, or failed and escalated to the section head."""

    event_type = "RectificationVerified"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    passed: bool
    verified_on: date
    remarks: str = Field(default="", max_length=REASON_MAX)
    escalated_to: Literal["section_head"] | None = None


@registry.register
class GuidanceGiven(EventData):
    """A minor problem was solved by guidance (supervision with service), and recorded."""

    event_type = "GuidanceGiven"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    content: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    given_on: date


@registry.register
class CaseReportedToCNCA(EventData):
    """A closed penalty case was reported to the CNCA enforcement information reporting system.

    The fields are what was sent (the seed's list), when, and the system's receipt if any.
    """

    event_type = "CaseReportedToCNCA"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    case_source: str = Field(max_length=LABEL_MAX)
    case_information: str = Field(max_length=DESCRIPTION_MAX)
    penalty_basis: str = Field(max_length=LABEL_MAX)
    penalty_type: str = Field(max_length=LABEL_MAX)
    penalty_amount: int = Field(ge=0)
    case_description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    decision_document_number: str = Field(min_length=1, max_length=DOCUMENT_NUMBER_MAX)
    decision_document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    decision_document_file: str = Field(min_length=1, max_length=LABEL_MAX)
    sent_at: datetime
    reported_on: date
    report_due_on: date
    late: bool
    receipt: str = Field(default="", max_length=REASON_MAX)
