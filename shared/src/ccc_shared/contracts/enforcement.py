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
    COMPOSITE_ID_MAX,
    CONTACT_MAX,
    DESCRIPTION_MAX,
    DOCUMENT_NUMBER_MAX,
    IDENTIFIER_MAX,
    LABEL_MAX,
    ORGANISATION_NAME_MAX,
    PERSON_NAME_MAX,
    PRODUCT_MAX,
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
# What stops a case's handling period (SAMR administrative penalty procedure provisions art 64
# para 2: 中止、听证、公告和检测、检验、检疫、鉴定 are not counted).
ClockStopReason = Literal[
    "hearing", "testing", "inspection", "quarantine", "appraisal", "public_notice", "suspension"
]
# What a case is about: the violations inspection finds, and forged, altered, lent or
# transferred certificates (Order 117 art 53), which come to the bureau by complaint or by hand.
CaseProblem = Literal[ViolationKind, "certificate_forged"]


@registry.register
class CaseOpenedV1(EventData):
    """A case was opened as a clue; whether to register it is due on a working day."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="CaseOpened")

    event_type = "CaseOpened"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    source: CaseSource
    violation_id: str | None = Field(default=None, max_length=COMPOSITE_ID_MAX)
    complaint_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    subject_kind: SubjectKind
    subject_credit_code: CreditCode
    subject_staff_name: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    problem: ViolationKind
    opened_on: date
    register_decision_due_on: date


@registry.register
class CaseOpened(EventData):
    """A case was opened as a clue; whether to register it is due on a working day.

    Version 2: ``problem`` may be ``certificate_forged`` (Order 117 art 53), and ``found_on`` is
    the day the clue was found or received, from which its deadlines count; ``opened_on`` is
    the day it was entered (the envelope says by whom). ``subject_name``, ``product`` and
    ``certificate_number`` name the party, the product and the certificate when known.
    """

    event_type = "CaseOpened"
    schema_version = 2
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    source: CaseSource
    violation_id: str | None = Field(default=None, max_length=COMPOSITE_ID_MAX)
    complaint_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    subject_kind: SubjectKind
    subject_credit_code: CreditCode
    subject_staff_name: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    problem: CaseProblem
    found_on: date
    opened_on: date
    register_decision_due_on: date
    subject_name: str | None = Field(default=None, max_length=ORGANISATION_NAME_MAX)
    product: str | None = Field(default=None, max_length=PRODUCT_MAX)
    certificate_number: str | None = Field(default=None, max_length=IDENTIFIER_MAX)


@registry.upcaster("CaseOpened", from_version=1)
def case_opened_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 clue was found the day it was entered."""
    return {**payload, "found_on": payload["opened_on"]}


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
class PenaltyDecidedV1(EventData):
    """An administrative penalty was decided, with its basis and its decision document."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="PenaltyDecided")
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
class PenaltyDecided(EventData):
    """An administrative penalty was decided, with its basis and its decision document.

    Version 2 adds ``goods_value`` (货值金额, whole yuan) where the decision stated it: under the
    Regulations on Certification and Accreditation art 66 as revised in 2023, uncertified goods
    worth less than 10,000 yuan are fined at most twice their value; ``law_version`` names the
    version of the article the penalty was decided under (Administrative Penalty Law art 37).
    """

    event_type = "PenaltyDecided"
    schema_version = 2
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    basis_article: str = Field(max_length=IDENTIFIER_MAX)
    penalty_type: PenaltyType
    amount: int = Field(ge=0)
    goods_value: int | None = Field(default=None, ge=0)
    law_version: str = Field(default="", max_length=LABEL_MAX)
    decision_document_number: str = Field(min_length=1, max_length=DOCUMENT_NUMBER_MAX)
    decision_document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    decided_on: date


@registry.upcaster("PenaltyDecided", from_version=1)
def penalty_decided_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stated no goods value and no law version (read as unknown)."""
    return {**payload, "goods_value": None, "law_version": ""}


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
class ComplaintReceivedV1(EventData):
    """A complaint was recorded; the informant is masked (Order 117 art 48)."""

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="ComplaintReceived")

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
class ComplaintReceived(EventData):
    """A complaint was recorded; the informant is masked (Order 117 art 48).

    Version 2: ``problem`` may be ``certificate_forged`` (Order 117 art 53).
    """

    event_type = "ComplaintReceived"
    schema_version = 2
    complaint_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    channel: ComplaintChannel
    subject_credit_code: CreditCode
    problem: CaseProblem
    received_on: date
    informant: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    informant_contact: str | None = Field(default=None, max_length=CONTACT_MAX)
    joined_case_number: str | None = None


@registry.upcaster("ComplaintReceived", from_version=1)
def complaint_received_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Every version 1 problem is a version 2 problem unchanged."""
    return payload


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
class CaseReferredV1(EventData):
    """A clue about a violator outside the jurisdiction was referred to that bureau.

    ``to_jurisdiction`` is the administrative division code of the bureau it goes to.
    """

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="CaseReferred")

    event_type = "CaseReferred"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    violation_id: str | None = Field(default=None, max_length=COMPOSITE_ID_MAX)
    problem: ViolationKind
    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    referred_on: date


@registry.register
class CaseReferred(EventData):
    """A clue about a violator outside the jurisdiction was referred to that bureau.

    ``to_jurisdiction`` is the administrative division code of the bureau it goes to.


    Version 2: ``problem`` may be ``certificate_forged`` (Order 117 art 53).
    """

    event_type = "CaseReferred"
    schema_version = 2
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    violation_id: str | None = Field(default=None, max_length=COMPOSITE_ID_MAX)
    problem: CaseProblem
    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    referred_on: date


@registry.upcaster("CaseReferred", from_version=1)
def case_referred_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Every version 1 problem is a version 2 problem unchanged."""
    return payload


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
class CaseReportedToCNCAV1(EventData):
    """A closed penalty case was reported to the CNCA enforcement information reporting system.

    The fields are what was sent (the seed's list), when, and the system's receipt if any.
    """

    # Version 1, kept (its published schema unchanged) to read the events stored before 2.
    model_config = ConfigDict(frozen=True, extra="forbid", title="CaseReportedToCNCA")

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


@registry.register
class CaseReportedToCNCA(EventData):
    """A closed penalty case was reported to the CNCA enforcement information reporting system.

    The fields are what was sent (the seed's list), when, and the system's receipt if any.
    Version 2 adds ``report_document_sha256``: the report as a filed PDF, kept with the case
    (``GET /documents/{sha256}``); the texts are in Chinese as filed.
    """

    event_type = "CaseReportedToCNCA"
    schema_version = 2
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
    report_document_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


@registry.upcaster("CaseReportedToCNCA", from_version=1)
def case_reported_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 report kept no filed document."""
    return {**payload, "report_document_sha256": None}


@registry.register
class HandlingClockStopped(EventData):
    """The case's handling period stopped running: a hearing, public notice, testing,
    inspection, quarantine or appraisal, or a suspension (中止) is not counted toward it."""

    event_type = "HandlingClockStopped"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    reason: ClockStopReason
    stopped_on: date
    remarks: str = Field(default="", max_length=REASON_MAX)


@registry.register
class HandlingClockRestarted(EventData):
    """The handling period runs again; the days it stood still move the decision deadline."""

    event_type = "HandlingClockRestarted"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode
    reason: ClockStopReason
    stopped_on: date
    restarted_on: date
    days_not_counted: int = Field(ge=0)
    decision_due_on: date
    remarks: str = Field(default="", max_length=REASON_MAX)


@registry.register
class CaseRegistered(EventData):
    """The clue was registered (立案); the decision is due 90 days later."""

    event_type = "CaseRegistered"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode | None = None  # None: recorded before it was published
    registered_on: date
    decision_due_on: date  # the period's end, moved off a day off
    period_ends_on: date | None = None  # the 90th day itself (None: as decision_due_on)
    violation_on: date | None = None  # the day the act occurred or ended, when known
    harm_to_life_health_or_finance: bool = False


@registry.register
class InvestigationStarted(EventData):
    """Evidence gathering began on a registered case."""

    event_type = "InvestigationStarted"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode | None = None  # None: recorded before it was published
    started_on: date


@registry.register
class PartyNotified(EventData):
    """The party was told the intended penalty and its right to statement and hearing (告知)."""

    event_type = "PartyNotified"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode | None = None  # None: recorded before it was published
    notified_on: date
    intended: str = Field(min_length=1, max_length=REASON_MAX)


@registry.register
class DecisionDeadlineExtended(EventData):
    """The decision deadline moved: 30 days on the head's approval, or to the period a
    collective decision set."""

    event_type = "DecisionDeadlineExtended"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode | None = None  # None: recorded before it was published
    approved_by: str = Field(min_length=1, max_length=LABEL_MAX)
    approval_reference: str = Field(min_length=1, max_length=DOCUMENT_NUMBER_MAX)
    extended_on: date
    decision_due_on: date
    period_ends_on: date | None = None  # the period's last day before any move off a day off
    collective: bool = False


@registry.register
class DecisionExecuted(EventData):
    """The penalty decision was carried out (fine paid, goods confiscated, ...)."""

    event_type = "DecisionExecuted"
    case_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    subject_credit_code: CreditCode | None = None  # None: recorded before it was published
    executed_on: date
    remarks: str = Field(default="", max_length=REASON_MAX)
