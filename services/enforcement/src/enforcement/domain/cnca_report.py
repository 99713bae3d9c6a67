"""The report of a closed penalty case to the CNCA enforcement information reporting system.

The seed lists its fields: case source, case information, penalty basis, penalty type, penalty
amount, case description, and the electronic penalty decision document. It is due 20 days
(natural days, as the seed writes 日 and not 工作日) after the case is closed.
"""

from __future__ import annotations

from datetime import date

from enforcement.domain.base import DomainError, State
from enforcement.domain.case_state import REPORT_DAYS, Case

SOURCE_NAMES = {"violation": "inspection", "complaint": "complaint", "manual": "other"}


class DecisionDocument(State):
    """The electronic penalty decision document: its number, its hash and where it is stored."""

    number: str
    sha256: str
    file_reference: str


class CncaReport(State):
    """What is sent for one case (认证行政执法信息报送)."""

    case_number: str
    case_source: str
    case_information: str
    penalty_basis: str
    penalty_type: str
    penalty_amount: int
    case_description: str
    penalty_decision_document: DecisionDocument
    due_on: date


def build_report(case: Case, description: str, file_reference: str) -> CncaReport:
    """The report payload of a closed penalty case, from its state and the officer's summary."""
    if case.status != "closed" or not case.penalties or case.closed_on is None:
        raise DomainError(f"case {case.case_number}: only a closed penalty case is reported")
    first = case.penalties[0]
    subject = case.subject_kind.replace("_", " ")
    staff = f" ({case.subject_staff_name})" if case.subject_staff_name else ""
    return CncaReport(
        case_number=case.case_number,
        case_source=SOURCE_NAMES[case.source],
        case_information=(
            f"{case.case_number}; {subject} {case.subject_credit_code}{staff}; {case.problem};"
            f" opened {case.opened_on}, registered {case.registered_on}, closed {case.closed_on}"
        ),
        penalty_basis="; ".join(dict.fromkeys(p.basis_article for p in case.penalties)),
        penalty_type="; ".join(p.penalty_type for p in case.penalties),
        penalty_amount=sum(p.amount for p in case.penalties),  # fines and confiscations (罚没)
        case_description=description,
        penalty_decision_document=DecisionDocument(
            number=first.decision_document_number,
            sha256=first.decision_document_sha256,
            file_reference=file_reference,
        ),
        due_on=case.closed_on + REPORT_DAYS,
    )


def default_description(case: Case) -> str:
    """A plain account of the case from its record, when the officer gives no summary."""
    parts = [f"{case.problem.replace('_', ' ')} by {case.subject_kind.replace('_', ' ')}"]
    parts.append(f"{case.subject_credit_code}")
    if case.warnings:
        parts.append(f"{case.warnings} warning(s) issued")
    if case.rectification_failed:
        parts.append("rectification failed and was escalated")
    penalties = ", ".join(
        f"{p.penalty_type} {p.amount:,} RMB ({p.basis_article})" for p in case.penalties
    )
    if penalties:
        parts.append(f"penalties: {penalties}")
    return "; ".join(parts)
