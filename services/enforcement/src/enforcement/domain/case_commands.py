"""Orders to an enforcement case, and the documented case-number format.

Case numbers read ``CCC-<year>-<sequence>``: the year the case was opened and a sequence of at
least five digits the caller hands out (one counter per year), e.g. ``CCC-2026-00042``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import Field, model_validator

from ccc_shared.contracts import text
from ccc_shared.contracts.enforcement import (
    CaseProblem,
    CaseSource,
    ClockStopReason,
    DeadlineKind,
    PenaltyType,
    SubjectKind,
)
from ccc_shared.credit_code import CreditCode
from enforcement.domain.base import Command
from enforcement.domain.case_events import NoPenaltyReason

CASE_NUMBER = re.compile(r"^CCC-(\d{4})-(\d{5,})$")


def case_number(year: int, sequence: int) -> str:
    """The case number for a case opened in ``year`` with the caller's ``sequence``."""
    if not sequence >= 1:
        raise ValueError(f"a case sequence starts at 1, not {sequence}")
    return f"CCC-{year:04d}-{sequence:05d}"


class CaseCommand(Command):
    """An order about one case, named by its number."""

    case_number: str = Field(pattern=CASE_NUMBER.pattern)


class OpenCase(CaseCommand):
    """Open a clue from a violation, a complaint or a manual entry (source id required)."""

    source: CaseSource
    violation_id: text.CompositeIdentifier | None = None
    complaint_id: text.Identifier | None = None
    subject_kind: SubjectKind
    subject_credit_code: CreditCode
    subject_staff_name: text.PersonName | None = None
    problem: CaseProblem
    found_on: date | None = None  # the day the clue was found or received; None: the entry day
    subject_name: text.OrganisationName | None = None  # the party's name, as its licence gives it
    product: text.ProductModel | None = None
    certificate_number: text.Identifier | None = None

    @model_validator(mode="after")
    def source_is_named(self) -> OpenCase:
        """A violation case names its violation, a complaint case its complaint."""
        if (self.source == "violation") != (self.violation_id is not None):
            raise ValueError("a case names its violation_id exactly when its source is a violation")
        if (self.source == "complaint") != (self.complaint_id is not None):
            raise ValueError("a case names its complaint_id exactly when its source is a complaint")
        if (self.subject_kind == "certification_body_staff") != bool(self.subject_staff_name):
            raise ValueError("a staff member of a certification body is named, and only then")
        return self


class DropClue(CaseCommand):
    """Decide not to register a clue; the reason is required."""

    reason: text.Reason


class RegisterCase(CaseCommand):
    """Register the clue as a case (立案), within the limitation period when the act's day is
    known (APL 2021 art 36 para 1)."""

    violation_on: date | None = None  # the day the act occurred, or ended if it continued
    harm_to_life_health_or_finance: bool = False  # five years instead of two


class StopHandlingClock(CaseCommand):
    """Stop the handling period for a hearing, a test, a public notice or a suspension."""

    reason: ClockStopReason
    on: date | None = None  # the first day not counted (default: today)
    remarks: text.OptionalReason = ""


class RestartHandlingClock(CaseCommand):
    """Let the handling period run again."""

    on: date | None = None  # the day it runs again (default: today)
    remarks: text.OptionalReason = ""


class AssignCase(CaseCommand):
    """Give the case to a department and a named officer; a reassignment needs a reason."""

    department: text.Label
    officer: text.Identifier  # the officer's user id
    officer_name: text.PersonName | None = None
    reason: text.OptionalReason = ""


class StartInvestigation(CaseCommand):
    """Begin gathering evidence."""


class NotifyParty(CaseCommand):
    """Tell the party the intended penalty and its rights (告知)."""

    intended: text.Reason


class ExtendDecisionDeadline(CaseCommand):
    """Extend the decision deadline: once by 30 days on the head's approval, then only by the
    heads' collective decision, which sets the new last day (``decision_due_on``)."""

    approved_by: text.PersonName
    approval_reference: text.DocumentNumber
    collective: bool = False
    decision_due_on: date | None = None


class IssueWarning(CaseCommand):
    """Warn the subject (告诫, Order 117 art 37)."""

    content: text.Description


class OrderRectification(CaseCommand):
    """Order the subject to correct a problem by a deadline."""

    requirement: text.Description
    deadline: date


class VerifyRectification(CaseCommand):
    """Record whether the ordered rectification was done; a failure escalates."""

    passed: bool
    remarks: text.OptionalReason = ""


class GiveGuidance(CaseCommand):
    """Solve a minor finding by guidance."""

    content: text.Description


class DecidePenalty(CaseCommand):
    """Decide an administrative penalty, checked against its article's range."""

    basis_article: text.Label
    penalty_type: PenaltyType
    amount: int = Field(ge=0)
    # 货值金额: the value of the goods in whole yuan, where the decision states it (Regulations
    # art 66 as revised in 2023: goods worth less than 10,000 are fined at most twice it)
    goods_value: int | None = Field(default=None, ge=0, le=10**12)
    decision_document_number: text.DocumentNumber
    decision_document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # Facts from the bureau's records, filled in by the application (never by the caller):
    document_uploaded: bool = False  # the document with this hash was uploaded
    number_used_by: str | None = None  # the case that already holds this decision number


class DecideNoPenalty(CaseCommand):
    """Decide the case without a penalty."""

    reason_code: NoPenaltyReason
    reason: text.OptionalReason = ""


class ExecuteDecision(CaseCommand):
    """Record that the penalty decision was carried out."""

    remarks: text.OptionalReason = ""


class CloseCase(CaseCommand):
    """Close a decided (or executed) case."""


class RecordDeadlineMissed(CaseCommand):
    """Record that one of the case's deadlines passed (the application finds them)."""

    deadline: DeadlineKind
    due_on: date


class ReferCase(CaseCommand):
    """Refer a clue about a violator outside the jurisdiction to that bureau."""

    to_jurisdiction: str = Field(pattern=r"^[0-9]{6}$")
    reason: text.Reason


class AnswerReferral(CaseCommand):
    """Record the answer of the bureau a case was referred to: accepted or rejected."""

    accepted: bool
    remarks: text.OptionalReason = ""


class RecordCncaReport(CaseCommand):
    """Record that a closed penalty case was reported to the CNCA: what was sent and when."""

    case_description: text.Description
    decision_document_file: text.Label
    sent_at: datetime
    receipt: text.OptionalReason = ""
    report_document_sha256: str | None = None  # the filed PDF, kept with the case
