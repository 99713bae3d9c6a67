# ruff: noqa: E501  (Chinese text counts double width; the sentences stay whole)
"""The wording of every notice, in Chinese (the default) and English.

A template is a subject and a body with ``{field}`` placeholders filled from the cause event's
data and the facts the rules looked up; a missing field reads as a dash, never an error. Every
body ends by citing the cause event's id, so a reader can trace the notice to what caused it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Language = Literal["zh", "en"]
DEFAULT_LANGUAGE: Language = "zh"

CAUSE_LINE: dict[Language, str] = {
    "zh": "\n\n原因事件：{cause_event_id}（{cause_event_type}）",
    "en": "\n\nCause event: {cause_event_id} ({cause_event_type})",
}

# (template, language) -> (subject, body)
TEMPLATES: dict[tuple[str, Language], tuple[str, str]] = {
    ("violation_found", "zh"): (
        "違法違規(guī)通報(bào)：證書 {certificate_number}",
        "貴機(jī)構(gòu)認(rèn)證的企業(yè) {enterprise_credit_code} 被發(fā)現(xiàn)違反強(qiáng)制性產(chǎn)品認(rèn)證規(guī)定"
        "（{kind}，{article}）。證據(jù)摘要：{evidence}。請(qǐng)依據(jù)認(rèn)證規(guī)則及時(shí)處理并反饋結(jié)果。",
    ),
    ("violation_found", "en"): (
        "Violation notice: certificate {certificate_number}",
        "An enterprise you certified, {enterprise_credit_code}, was found in breach of the CCC"
        " rules ({kind}, {article}). Evidence: {evidence}. Please act under your certification"
        " rules and report back.",
    ),
    ("external_violation", "zh"): (
        "轄區(qū)外違法線索通報(bào)：{enterprise_credit_code}",
        "本局發(fā)現(xiàn)貴轄區(qū)（{external_jurisdiction}）企業(yè) {enterprise_credit_code} 的產(chǎn)品涉嫌違反"
        "強(qiáng)制性產(chǎn)品認(rèn)證規(guī)定（{kind}，{article}），發(fā)現(xiàn)地點(diǎn)：{found_at}。證據(jù)摘要：{evidence}。"
        "請(qǐng)依法核查處理。",
    ),
    ("external_violation", "en"): (
        "Violation outside our jurisdiction: {enterprise_credit_code}",
        "We found products of {enterprise_credit_code}, in your jurisdiction"
        " ({external_jurisdiction}), in breach of the CCC rules ({kind}, {article}), at"
        " {found_at}. Evidence: {evidence}. Please investigate.",
    ),
    ("case_referred", "zh"): (
        "案件移送：{case_number}",
        "本局將案件 {case_number}（當(dāng)事人 {subject_credit_code}，{problem}）移送貴局（{to_jurisdiction}）"
        "處理。移送理由：{reason}。",
    ),
    ("case_referred", "en"): (
        "Case referred to you: {case_number}",
        "We refer case {case_number} (party {subject_credit_code}, {problem}) to your bureau"
        " ({to_jurisdiction}). Reason: {reason}.",
    ),
    ("certificate_withdrawn", "zh"): (
        "證書狀態(tài)變更：{certificate_number} {status}",
        "企業(yè) {holder_credit_code} 的證書 {certificate_number}（{product_category}）已被"
        "{certification_body}{status}（{article}，{reason_code}），自 {effective_on} 起生效。"
        "請(qǐng)更新質(zhì)量檔案。",
    ),
    ("certificate_withdrawn", "en"): (
        "Certificate {certificate_number} {status}",
        "Certificate {certificate_number} ({product_category}) of {holder_credit_code} was"
        " {status} by {certification_body} ({article}, {reason_code}) from {effective_on}."
        " Please update the dossier.",
    ),
    ("case_assigned", "zh"): (
        "案件分派：{case_number}",
        "案件 {case_number}（當(dāng)事人 {subject_credit_code}）已分派給您（{department}）。{reason}",
    ),
    ("case_assigned", "en"): (
        "Case assigned to you: {case_number}",
        "Case {case_number} (party {subject_credit_code}) is now yours ({department}). {reason}",
    ),
    ("report_due", "zh"): (
        "案件報(bào)送期限：{case_number}",
        "案件 {case_number} 已于 {closed_on} 結(jié)案，須在 {report_due_on} 前報(bào)送認(rèn)證行政執(zhí)法信息報(bào)送系統(tǒng)。",
    ),
    ("report_due", "en"): (
        "CNCA report due: {case_number}",
        "Case {case_number} closed on {closed_on}; report it to the CNCA enforcement system by"
        " {report_due_on}.",
    ),
    ("cnca_report", "zh"): (
        "認(rèn)證行政執(zhí)法信息報(bào)送：{case_number}",
        "案件來源：{case_source}\n案件信息：{case_information}\n處罰依據(jù)：{penalty_basis}\n"
        "處罰種類：{penalty_type}\n罰沒金額：{penalty_amount} 元\n案情簡(jiǎn)介：{case_description}\n"
        "處罰決定書：{decision_document_number}（{decision_document_file}，"
        "SHA-256 {decision_document_sha256}）",
    ),
    ("cnca_report", "en"): (
        "Enforcement report: {case_number}",
        "Case source: {case_source}\nCase information: {case_information}\nPenalty basis:"
        " {penalty_basis}\nPenalty type: {penalty_type}\nAmount: {penalty_amount} yuan\n"
        "Description: {case_description}\nDecision document: {decision_document_number}"
        " ({decision_document_file}, SHA-256 {decision_document_sha256})",
    ),
    ("deadline_reminder", "zh"): (
        "期限提醒：{case_number} {deadline}",
        "案件 {case_number} 的{deadline}期限為 {due_on}（{when}）。請(qǐng)按期辦理。",
    ),
    ("deadline_reminder", "en"): (
        "Deadline reminder: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} is {due_on} ({when}). Please act in time.",
    ),
    ("deadline_escalation", "zh"): (
        "期限逾期督辦：{case_number} {deadline}",
        "案件 {case_number} 的{deadline}期限 {due_on} 已過（{when}），尚未辦結(jié)，請(qǐng)督辦。",
    ),
    ("deadline_escalation", "en"): (
        "Deadline overdue: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} passed on {due_on} ({when}) with the act"
        " still undone. Please follow up.",
    ),
    ("deadline_missed", "zh"): (
        "期限逾期：{case_number} {deadline}",
        "案件 {case_number} 的{deadline}期限 {due_on} 已過而未辦理（{noticed_on} 發(fā)現(xiàn)），請(qǐng)督辦。",
    ),
    ("deadline_missed", "en"): (
        "Deadline missed: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} ({due_on}) passed undone (noticed"
        " {noticed_on}). Please follow up.",
    ),
    ("delivery_failed", "zh"): (
        "通知發(fā)送失?。簕recipient}",
        "發(fā)給 {recipient} 的通知 {notification_id}（{rule}）經(jīng) {attempts} 次嘗試仍未送達(dá)："
        "{last_error}。請(qǐng)核對(duì)通訊錄后重發(fā)。",
    ),
    ("delivery_failed", "en"): (
        "Notice not delivered: {recipient}",
        "Notice {notification_id} ({rule}) to {recipient} failed after {attempts} attempts:"
        " {last_error}. Please check the directory and resend.",
    ),
}


# Values shown in the reader's language: (field, value) -> {language: text}
VALUE_NAMES: dict[tuple[str, str], dict[Language, str]] = {
    ("status", "suspended"): {"zh": "暫停", "en": "suspended"},
    ("status", "revoked"): {"zh": "撤銷", "en": "revoked"},
    ("status", "cancelled"): {"zh": "注銷", "en": "cancelled"},
    ("deadline", "rectification"): {"zh": "整改", "en": "rectification"},
    ("deadline", "cnca_report"): {"zh": "執(zhí)法信息報(bào)送", "en": "CNCA report"},
    ("deadline", "register_decision"): {"zh": "立案決定", "en": "register decision"},
    ("deadline", "case_decision"): {"zh": "處理決定", "en": "case decision"},
    ("kind", "no_certificate"): {"zh": "應(yīng)有證而無證生產(chǎn)", "en": "no certificate"},
    ("kind", "certificate_invalid"): {"zh": "證書失效仍生產(chǎn)", "en": "certificate not valid"},
    ("kind", "product_mismatch"): {"zh": "產(chǎn)品與證書不一致", "en": "product does not match"},
    ("kind", "mark_misuse"): {
        "zh": "違規(guī)使用證書或標(biāo)志",
        "en": "certificate or mark misused",
    },
    ("kind", "external"): {
        "zh": "轄區(qū)外生產(chǎn)者違法",
        "en": "maker outside the jurisdiction",
    },
}


class _Blank(dict[str, Any]):
    """Placeholders without a value read as a dash."""

    def __missing__(self, key: str) -> str:
        return "-"


def _text(field: str, value: Any, language: Language) -> Any:
    named = (
        VALUE_NAMES.get(("kind" if field == "problem" else field, value))
        if isinstance(value, str)
        else None
    )
    if named is not None:
        return named[language]
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    return value


def render(template: str, language: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The subject and body of a notice in a language (Chinese when the language is unknown)."""
    chosen: Language = "en" if language == "en" else DEFAULT_LANGUAGE
    subject, body = TEMPLATES[(template, chosen)]
    values = _Blank({key: _text(key, value, chosen) for key, value in params.items()})
    return subject.format_map(values), (body + CAUSE_LINE[chosen]).format_map(values)
