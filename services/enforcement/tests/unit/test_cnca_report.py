"""The CNCA report payload of a closed penalty case."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_given import (
    DOCUMENT_HASH,
    ENTERPRISE,
    EXECUTED,
    FINE,
    NUMBER,
    PENALISED,
    TODAY,
    opened,
)  # fmt: skip

from ccc_contracts.enforcement import CaseClosed
from enforcement.application.report_pdf import render_report, report_rows
from enforcement.domain.base import DomainError
from enforcement.domain.case_state import replay
from enforcement.domain.cnca_labels import article_name, chinese_number
from enforcement.domain.cnca_report import build_report, default_description

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
    assert report.case_source == "监督检查发现"
    assert report.penalty_basis == (
        "《强制性产品认证管理规定》第四十九条、《中华人民共和国认证认可条例》第六十六条"
    )
    assert report.penalty_type == "罚款"
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


def test_the_report_names_the_party_product_and_certificate_in_chinese() -> None:
    named = opened(
        source="manual", violation_id=None, subject_name="东莞市某某电器有限公司",
        product="插座", certificate_number="2021010202345678",
    )  # fmt: skip
    confiscated = FINE.model_copy(
        update={"penalty_type": "confiscation_of_illegal_gains", "amount": 12_000}
    )
    case = replay((named, *PENALISED[1:], confiscated, EXECUTED, CLOSED))
    assert case is not None
    report = build_report(case, default_description(case), "documents/" + DOCUMENT_HASH)
    assert (report.party_name, report.product, report.certificate_number) == (
        "东莞市某某电器有限公司", "插座", "2021010202345678",
    )  # fmt: skip
    assert report.case_source == "其他途径"
    assert report.penalty_type == "罚款、没收违法所得"
    assert report.penalty_amount == 92_000
    assert report.case_information == (
        f"案件编号：{NUMBER}；当事人：企业东莞市某某电器有限公司（统一社会信用代码{ENTERPRISE}）；"
        "违法行为：列入目录的产品未经认证，擅自出厂、销售；产品：插座；认证证书编号：2021010202345678；"
        f"发现日期：{TODAY}；立案日期：{TODAY}；结案日期：{CLOSED_ON}"
    )
    assert report.case_description == (
        f"企业东莞市某某电器有限公司（统一社会信用代码{ENTERPRISE}）列入目录的产品未经认证，擅自出厂、销售，"
        "依据《强制性产品认证管理规定》第四十九条罚款80,000元，"
        "依据《强制性产品认证管理规定》第四十九条没收违法所得12,000元。"
    )
    rows = dict(report_rows(report))
    assert rows["当事人名称"] == "东莞市某某电器有限公司"
    assert rows["罚没金额（元）"] == "92,000"
    assert rows["报送期限"] == "结案后20日内，即2025-04-21前"
    pdf = render_report(report)
    assert pdf.startswith(b"%PDF-")
    assert b"STSong-Light" in pdf  # the Chinese text is set in the CID font readers supply
    assert render_report(report) == pdf  # the same report, the same document (and hash)


@pytest.mark.parametrize(
    ("article", "name"),
    [
        ("Order 117 art 49", "《强制性产品认证管理规定》第四十九条"),
        ("Order 117 art 53", "《强制性产品认证管理规定》第五十三条"),
        ("Order 117 art 53 para 2", "《强制性产品认证管理规定》第五十三条第二款"),
        ("Order 117 art 10", "《强制性产品认证管理规定》第十条"),
        (
            "Regulations on Certification and Accreditation art 66",
            "《中华人民共和国认证认可条例》第六十六条",
        ),
    ],
)
def test_an_article_is_written_as_the_law_names_it(article: str, name: str) -> None:
    assert article_name(article) == name


def test_article_numbers_in_chinese() -> None:
    assert [chinese_number(n) for n in (1, 10, 11, 20, 55, 99)] == [
        "一", "十", "十一", "二十", "五十五", "九十九",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="no article number 0"):
        chinese_number(0)
