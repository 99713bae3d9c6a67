"""Referral to another bureau and the CNCA report, given/when/then."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from enforcement_given import CLUE, ENTERPRISE, EXECUTED, NUMBER, PENALISED, TODAY, given
from enforcement_given import S as SUBJECT

from ccc_shared.contracts.enforcement import (
    CaseClosed,
    CaseReferralAnswered,
    CaseReferred,
    CaseReportedToCNCA,
    DeadlineMissed,
)
from enforcement.domain import case_commands
from enforcement.domain.case_deadlines import missed

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}
REFERRED = CaseReferred(
    violation_id="V-1",
    problem="no_certificate",
    to_jurisdiction="320100",
    reason="maker in Nanjing",
    referred_on=TODAY,
    **SUBJECT,
)
CLOSED_ON = date(2025, 4, 1)
CLOSED = CaseClosed(
    outcome="penalty", closed_on=CLOSED_ON, report_due_on=date(2025, 4, 21), **SUBJECT
)
SENT_AT = datetime(2025, 4, 10, 2, 0, tzinfo=UTC)
REPORT = case_commands.RecordCncaReport(
    case_description="无证生产插座",
    decision_document_file="files/decision-1.pdf",
    sent_at=SENT_AT,
    receipt="CNCA-7",
    **N,
)


def test_a_clue_about_an_outside_violator_is_referred_to_that_bureau() -> None:
    refer = case_commands.ReferCase(to_jurisdiction="320100", reason="maker in Nanjing", **N)
    state = given(*CLUE).when(refer).then(REFERRED)
    assert (state.status, state.referred_to) == ("referred", "320100")
    assert missed(state, date(2026, 1, 1)) == []  # the register deadline waits on the answer
    given(*CLUE, REFERRED).when(refer).then_raises("cannot ReferCase while referred")
    given(*CLUE, REFERRED).when(case_commands.RegisterCase(**N)).then_raises("while referred")


def test_an_accepted_referral_closes_the_case_here_without_a_report() -> None:
    state = (
        given(*CLUE, REFERRED)
        .when(case_commands.AnswerReferral(accepted=True, remarks="立案", **N), TODAY)
        .then(
            CaseReferralAnswered(
                to_jurisdiction="320100",
                accepted=True,
                remarks="立案",
                answered_on=TODAY,
                **SUBJECT,
            ),
            CaseClosed(
                outcome="referred",
                closed_on=TODAY,
                report_due_on=TODAY,
                opened_on=TODAY,
                report_required=False,
                **SUBJECT,
            ),
        )
    )
    assert (state.status, state.outcome()) == ("closed", "referred")


def test_a_rejected_referral_is_a_clue_again_due_in_15_working_days() -> None:
    answered_on = date(2025, 3, 10)
    state = (
        given(*CLUE, REFERRED)
        .when(case_commands.AnswerReferral(accepted=False, remarks="not ours", **N), answered_on)
        .then(
            CaseReferralAnswered(
                to_jurisdiction="320100",
                accepted=False,
                remarks="not ours",
                answered_on=answered_on,
                register_decision_due_on=date(2025, 3, 31),
                **SUBJECT,
            )
        )
    )
    assert (state.status, state.register_decision_due_on) == ("clue", date(2025, 3, 31))
    given(*CLUE).when(case_commands.AnswerReferral(accepted=True, **N)).then_raises("while clue")


def test_a_closed_penalty_case_is_reported_once_with_what_was_sent() -> None:
    reported_on = date(2025, 4, 10)
    state = (
        given(*PENALISED, EXECUTED, CLOSED)
        .when(REPORT, reported_on)
        .then(
            CaseReportedToCNCA(
                case_source="监督检查发现",
                case_information=(
                    f"案件编号：{NUMBER}；当事人：企业（名称未登记）（统一社会信用代码{ENTERPRISE}）；"
                    "违法行为：列入目录的产品未经认证，擅自出厂、销售；"
                    f"发现日期：{TODAY}；立案日期：{TODAY}；结案日期：{CLOSED_ON}"
                ),
                penalty_basis=(
                    "《强制性产品认证管理规定》第四十九条、《中华人民共和国认证认可条例》第六十六条"
                ),
                penalty_type="罚款",
                penalty_amount=80_000,
                case_description="无证生产插座",
                decision_document_number="X市监罚〔2025〕1号",
                decision_document_sha256="ab" * 32,
                decision_document_file="files/decision-1.pdf",
                sent_at=SENT_AT,
                reported_on=reported_on,
                report_due_on=date(2025, 4, 21),
                late=False,
                receipt="CNCA-7",
                **SUBJECT,
            )
        )
    )
    assert state.reported_on == reported_on
    assert missed(state, date(2025, 5, 1)) == []
    again = given(*PENALISED, EXECUTED, CLOSED).when(REPORT, reported_on).decided()
    given(*PENALISED, EXECUTED, CLOSED, *again).when(REPORT).then_raises("reported to the CNCA on")
    given(*PENALISED, EXECUTED).when(REPORT).then_raises("while executed")


def test_a_report_not_sent_within_20_days_is_a_missed_deadline_once() -> None:
    late = given(*PENALISED, EXECUTED, CLOSED).when(REPORT, date(2025, 4, 22)).decided()[0]
    assert isinstance(late, CaseReportedToCNCA)
    assert late.late
    record = case_commands.RecordDeadlineMissed(
        deadline="cnca_report", due_on=date(2025, 4, 21), **N
    )
    given(*PENALISED, EXECUTED, CLOSED).when(record, date(2025, 4, 21)).then_raises("not missed")
    noticed = DeadlineMissed(
        deadline="cnca_report",
        due_on=date(2025, 4, 21),
        noticed_on=date(2025, 4, 22),
        **SUBJECT,
    )
    state = given(*PENALISED, EXECUTED, CLOSED).when(record, date(2025, 4, 22)).then(noticed)
    assert missed(state, date(2025, 4, 30)) == []
    given(*PENALISED, EXECUTED, CLOSED, noticed).when(record, date(2025, 4, 23)).then_raises(
        "not missed"
    )
