"""The report of a closed penalty case to the CNCA enforcement information reporting system.

The seed lists its fields: case source, case information, penalty basis, penalty type, penalty
amount, case description, and the electronic penalty decision document. It is due 20 days
(natural days, as the seed writes 日 and not 工作日) after the case is closed. Every field reads
as a person files it: in Chinese, the law by its title and article (``cnca_labels``), the party
by name.
"""

from __future__ import annotations

from datetime import date

from enforcement.domain.base import DomainError, State
from enforcement.domain.case_state import REPORT_DAYS, Case
from enforcement.domain.cnca_labels import (
    PENALTY_TYPE_NAMES,
    PROBLEM_NAMES,
    SOURCE_NAMES,
    SUBJECT_KIND_NAMES,
    article_name,
)
from enforcement.domain.penalties import applicable_rule


class DecisionDocument(State):
    """The electronic penalty decision document: its number, its hash and where it is stored."""

    number: str
    sha256: str
    file_reference: str


class CncaReport(State):
    """What is sent for one case (认证行政执法信息报送)."""

    case_number: str
    party_name: str | None = None
    party_credit_code: str
    product: str | None = None
    certificate_number: str | None = None
    case_source: str
    case_information: str
    penalty_basis: str
    penalty_type: str
    penalty_amount: int
    case_description: str
    penalty_decision_document: DecisionDocument
    closed_on: date
    due_on: date


def penalty_basis(case: Case) -> str:
    """The articles the penalties rest on, as the law names them, with what they apply."""
    names: list[str] = []
    for penalty in case.penalties:
        rule = applicable_rule(
            penalty.basis_article, case.act_day, penalty.decided_on, penalty.goods_value
        )
        for article in (penalty.basis_article, rule.refers_to):
            if article and article_name(article) not in names:
                names.append(article_name(article))
    return "、".join(names)


def party(case: Case) -> str:
    """The party as the report names it: its name (if known) and credit code."""
    kind = SUBJECT_KIND_NAMES[case.subject_kind]
    name = case.subject_name or "（名称未登记）"
    staff = f"，从业人员{case.subject_staff_name}" if case.subject_staff_name else ""
    return f"{kind}{name}（统一社会信用代码{case.subject_credit_code}）{staff}"


def build_report(case: Case, description: str, file_reference: str) -> CncaReport:
    """The report payload of a closed penalty case, from its state and the officer's summary."""
    if case.status != "closed" or not case.penalties or case.closed_on is None:
        raise DomainError(
            f"case {case.case_number}: only a closed penalty case is reported",
            code="case.report_needs_closed_penalty_case",
        )
    first = case.penalties[0]
    information = [
        f"案件编号：{case.case_number}",
        f"当事人：{party(case)}",
        f"违法行为：{PROBLEM_NAMES[case.problem]}",
    ]
    if case.product:
        information.append(f"产品：{case.product}")
    if case.certificate_number:
        information.append(f"认证证书编号：{case.certificate_number}")
    information.append(
        f"发现日期：{case.found_on}；立案日期：{case.registered_on}；结案日期：{case.closed_on}"
    )
    return CncaReport(
        case_number=case.case_number,
        party_name=case.subject_name,
        party_credit_code=case.subject_credit_code,
        product=case.product,
        certificate_number=case.certificate_number,
        case_source=SOURCE_NAMES[case.source],
        case_information="；".join(information),
        penalty_basis=penalty_basis(case),
        penalty_type="、".join(
            dict.fromkeys(PENALTY_TYPE_NAMES[p.penalty_type] for p in case.penalties)
        ),
        penalty_amount=sum(p.amount for p in case.penalties),  # fines and confiscations (罚没)
        case_description=description,
        penalty_decision_document=DecisionDocument(
            number=first.decision_document_number,
            sha256=first.decision_document_sha256,
            file_reference=file_reference,
        ),
        closed_on=case.closed_on,
        due_on=case.closed_on + REPORT_DAYS,
    )


def default_description(case: Case) -> str:
    """A plain account of the case from its record, when the officer gives no summary."""
    parts = [f"{party(case)}{PROBLEM_NAMES[case.problem]}"]
    if case.warnings:
        parts.append(f"经告诫{case.warnings}次")
    if case.rectification_failed:
        parts.append("责令限期改正，逾期未改正")
    for p in case.penalties:
        amount = f"{p.amount:,}元" if p.amount else ""
        parts.append(
            f"依据{article_name(p.basis_article)}{PENALTY_TYPE_NAMES[p.penalty_type]}{amount}"
        )
    return "，".join(parts) + "。"
