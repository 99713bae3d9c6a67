"""Request and response bodies of the enforcement HTTP API not given by the domain's commands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from ccc_shared.contracts import text
from ccc_shared.contracts.enforcement import (
    CaseProblem,
    ClockStopReason,
    ComplaintChannel,
    PenaltyType,
    SubjectKind,
)
from ccc_shared.contracts.text import InputModel
from ccc_shared.credit_code import CreditCode
from ccc_shared.runtime.http import CommandResult
from enforcement.domain.case_events import NoPenaltyReason

SHA256 = r"^[0-9a-f]{64}$"


class Body(InputModel):
    """A request body: unknown fields refused, text bounded and stripped."""


def staff_named_for_staff(name: str | None, info: ValidationInfo) -> str | None:
    """A staff member of a certification body is named, and only then (the subject's kind)."""
    staff = info.data.get("subject_kind") == "certification_body_staff"
    if staff and not name:
        raise ValueError("a case against a certification body's staff member names them")
    if name and not staff:
        raise ValueError("only a case against a certification body's staff member names one")
    return name


class ManualCase(Body):
    """A case opened by hand (a clue from elsewhere than an inspection or a complaint)."""

    subject_kind: SubjectKind = "enterprise"
    subject_credit_code: CreditCode
    subject_staff_name: Annotated[text.PersonName | None, AfterValidator(staff_named_for_staff)] = (
        Field(default=None, validate_default=True)
    )
    problem: CaseProblem
    found_on: date | None = None  # the day the clue was found or received (default: today)
    subject_name: text.OrganisationName | None = None
    product: text.ProductModel | None = None
    certificate_number: text.Identifier | None = None


class Reason(Body):
    """Why (a dropped clue needs one)."""

    reason: text.Reason


class OrphanViolation(Body):
    """A violation the reconciliation lists without a case (its id as inspection gave it)."""

    violation_id: text.CompositeIdentifier


class Assignment(Body):
    """The department and the named officer (user id) who answer for the case."""

    department: text.Label
    officer: text.Identifier
    officer_name: text.PersonName | None = None
    reason: text.OptionalReason = ""


class Notice(Body):
    """The intended penalty the party is told of (告知)."""

    intended: text.Reason


class Approval(Body):
    """Who approved an extension of the decision deadline, and the approval's reference: the
    head's 30 days, or the heads' collective decision (``collective``) with its new last day."""

    approved_by: text.PersonName
    approval_reference: text.DocumentNumber
    collective: bool = False
    decision_due_on: date | None = None


class Registration(Body):
    """What registration (立案) checks the limitation period on (APL 2021 art 36 para 1)."""

    violation_on: date | None = None  # the day the act occurred, or ended if it continued
    harm_to_life_health_or_finance: bool = False  # five years instead of two


class ClockStop(Body):
    """Why the handling period stops (not counted), from which day (default today)."""

    reason: ClockStopReason
    on: date | None = None
    remarks: text.OptionalReason = ""


class ClockRestart(Body):
    """The day the handling period runs again (default today)."""

    on: date | None = None
    remarks: text.OptionalReason = ""


class Content(Body):
    """The text of a warning or of the guidance given."""

    content: text.Description


class Rectification(Body):
    """What must be corrected, by when."""

    requirement: text.Description
    deadline: date


class Verification(Body):
    """Whether the ordered rectification was done."""

    passed: bool
    remarks: text.OptionalReason = ""


class Penalty(Body):
    """A penalty decision: basis article, type, amount (RMB) and the decision document's hash.

    Upload the document first (``POST /documents``) or give the hash of the signed original.
    """

    basis_article: text.Label
    penalty_type: PenaltyType
    amount: int = Field(ge=0)
    goods_value: int | None = Field(
        default=None, ge=0, le=10**12,
        description="货值金额, whole RMB, where the decision states it: uncertified goods worth"
        " less than 10,000 are fined at most twice their value (Regulations art 66, 2023)",
    )  # fmt: skip
    decision_document_number: text.DocumentNumber
    decision_document_sha256: str = Field(pattern=SHA256)


class NoPenalty(Body):
    """A decision without penalty, and why."""

    reason_code: NoPenaltyReason
    reason: text.OptionalReason = ""


class Remarks(Body):
    """Free remarks on a step."""

    remarks: text.OptionalReason = ""


class Referral(Body):
    """The bureau (administrative division code) a case goes to, and why."""

    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    reason: text.Reason


class ReferralAnswer(Body):
    """The referred bureau's answer."""

    accepted: bool
    remarks: text.OptionalReason = ""


class ReportSent(Body):
    """The CNCA report as sent: when (default now), the officer's summary, the receipt."""

    sent_at: datetime | None = None
    case_description: text.Description | None = None
    receipt: text.OptionalReason = ""


class NewComplaint(Body):
    """A complaint as received; the informant is kept confidential (Order 117 art 48)."""

    channel: ComplaintChannel
    subject_kind: SubjectKind = "enterprise"
    subject_credit_code: CreditCode
    subject_staff_name: Annotated[text.PersonName | None, AfterValidator(staff_named_for_staff)] = (
        Field(default=None, validate_default=True)
    )
    problem: CaseProblem
    description: text.OptionalDescription = ""
    received_on: date | None = None
    subject_name: text.OrganisationName | None = None  # the party, as the informant names it
    product: text.ProductModel | None = None
    informant: text.PersonName | None = None
    informant_contact: text.Contact | None = None


class ComplaintResult(CommandResult):
    """A received complaint: the case it joined or opened."""

    case_number: str
    joined: bool


class ComplaintView(BaseModel):
    """A complaint; informant and contact are ``***`` unless the reader handles its case."""

    complaint_id: str
    channel: ComplaintChannel
    subject_credit_code: str
    problem: CaseProblem
    description: str
    received_on: date
    informant: str | None
    informant_contact: str | None
    case_number: str | None
    joined: bool
    masked: bool


class CaseView(BaseModel):
    """A case as the read model holds it; ``overdue`` and ``report_overdue`` computed today."""

    model_config = ConfigDict(extra="ignore")

    case_number: str
    source: str
    violation_id: str | None
    complaint_id: str | None
    subject_kind: SubjectKind
    subject_credit_code: str
    subject_staff_name: str | None
    subject_name: str | None
    product: str | None
    certificate_number: str | None
    problem: CaseProblem
    status: str
    found_on: date | None
    opened_on: date
    registered_on: date | None
    register_decision_due_on: date
    decision_due_on: date | None
    extended: bool
    clock_stopped_for: str | None
    clock_stopped_on: date | None
    days_not_counted: int
    violation_on: date | None
    department: str | None
    officer: str | None
    officer_name: str | None
    reassignments: int
    warnings: int
    guidance: int
    rectification_deadline: date | None
    rectification_failed: bool
    penalties: int
    penalty_amount: int
    outcome: str
    referred_to: str | None
    closed_on: date | None
    report_due_on: date | None
    reported_on: date | None
    next_due_on: date | None
    missed_deadlines: int
    overdue: bool
    report_overdue: bool
    version: int
    complaints: list[ComplaintView] = Field(default_factory=list)


class DocumentStored(BaseModel):
    """A decision document kept by its SHA-256 (``stored`` False if it was there already)."""

    sha256: str
    size: int
    file_reference: str
    stored: bool
