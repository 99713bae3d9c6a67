"""The CNCA report payload of a closed penalty case."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_given import DOCUMENT_HASH, ENTERPRISE, EXECUTED, FINE, NUMBER, PENALISED

from ccc_shared.contracts.enforcement import CaseClosed
from enforcement.domain.base import DomainError
from enforcement.domain.case_state import replay
from enforcement.domain.cnca_report import build_report

pytestmark = pytest.mark.unit
CLOSED_ON = date(2025, 4, 1)
CLOSED = CaseClosed(
    case_number=NUMBER,
    subject_credit_code=ENTERPRISE,
    outcome="penalty",
    closed_on=CLOSED_ON,
    report_due_on=date(2025, 4, 21),
)


def test_the_report_carries_the_fields_the_seed_lists() -> None:
    case = replay((*PENALISED, EXECUTED, CLOSED))
    assert case is not None
    report = build_report(case, "无证生产插座", "files/decision-1.pdf")
    assert report.case_source == "inspection"
    assert report.penalty_basis == "Order 117 art 49"
    assert report.penalty_type == "fine"
    assert report.penalty_amount == 80_000
    assert report.case_description == "无证生产插座"
    assert report.penalty_decision_document.number == FINE.decision_document_number
    assert report.penalty_decision_document.sha256 == DOCUMENT_HASH
    assert report.due_on == date(2025, 4, 21)
    assert ENTERPRISE in report.case_information


def test_an_open_case_is_not_reported() -> None:
    case = replay(PENALISED)
    assert case is not None
    with pytest.raises(DomainError, match="only a closed penalty case"):
        build_report(case, "x", "y")
