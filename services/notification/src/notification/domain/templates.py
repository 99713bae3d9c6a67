# ruff: noqa: E501  (Chinese text counts double width; the sentences stay whole)
"""The wording of every notice, in Chinese (the default) and English.

A template is a subject and a body with ``{field}`` placeholders filled from the cause event's
data and the facts the rules looked up; a missing field reads as a dash, never an error.
``{enterprise}`` is the enterprise's name (when known) and credit code. Every body ends by
citing the cause event's id, so a reader can trace the notice to what caused it.
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
        "违法违规通报：证书 {certificate_number}",
        "贵机构认证的企业 {enterprise} 被发现违反强制性产品认证规定"
        "（{kind}，{article}）。证据摘要：{evidence}。请依据认证规则及时处理并反馈结果。",
    ),
    ("violation_found", "en"): (
        "Violation notice: certificate {certificate_number}",
        "An enterprise you certified, {enterprise}, was found in breach of the CCC"
        " rules ({kind}, {article}). Evidence: {evidence}. Please act under your certification"
        " rules and report back.",
    ),
    ("external_violation", "zh"): (
        "辖区外违法线索通报：{enterprise_credit_code}",
        "本局发现贵辖区（{external_jurisdiction}）企业 {enterprise} 的产品涉嫌违反"
        "强制性产品认证规定（{kind}，{article}），发现地点：{found_at}。证据摘要：{evidence}。"
        "请依法核查处理。",
    ),
    ("external_violation", "en"): (
        "Violation outside our jurisdiction: {enterprise_credit_code}",
        "We found products of {enterprise}, in your jurisdiction"
        " ({external_jurisdiction}), in breach of the CCC rules ({kind}, {article}), at"
        " {found_at}. Evidence: {evidence}. Please investigate.",
    ),
    ("case_referred", "zh"): (
        "案件移送：{case_number}",
        "本局将案件 {case_number}（当事人 {enterprise}，{problem}）移送贵局（{to_jurisdiction}）"
        "处理。移送理由：{reason}。",
    ),
    ("case_referred", "en"): (
        "Case referred to you: {case_number}",
        "We refer case {case_number} (party {enterprise}, {problem}) to your bureau"
        " ({to_jurisdiction}). Reason: {reason}.",
    ),
    ("certificate_withdrawn", "zh"): (
        "证书状态变更：{certificate_number} {status}",
        "企业 {enterprise} 的证书 {certificate_number}（{product_category}）已被"
        "{certifier}{status}（{article}，{reason_code}），自 {effective_on} 起生效。"
        "请更新质量档案。",
    ),
    ("certificate_withdrawn", "en"): (
        "Certificate {certificate_number} {status}",
        "Certificate {certificate_number} ({product_category}) of {enterprise} was"
        " {status} by {certifier} ({article}, {reason_code}) from {effective_on}."
        " Please update the dossier.",
    ),
    ("case_assigned", "zh"): (
        "案件分派：{case_number}",
        "案件 {case_number}（当事人 {enterprise}）已分派给您（{department}）。{reason}",
    ),
    ("case_assigned", "en"): (
        "Case assigned to you: {case_number}",
        "Case {case_number} (party {enterprise}) is now yours ({department}). {reason}",
    ),
    ("report_due", "zh"): (
        "案件报送期限：{case_number}",
        "案件 {case_number} 已于 {closed_on} 结案，须在 {report_due_on} 前报送认证行政执法信息报送系统。",
    ),
    ("report_due", "en"): (
        "CNCA report due: {case_number}",
        "Case {case_number} closed on {closed_on}; report it to the CNCA enforcement system by"
        " {report_due_on}.",
    ),
    ("cnca_report", "zh"): (
        "认证行政执法信息报送：{case_number}",
        "案件来源：{case_source}\n案件信息：{case_information}\n处罚依据：{penalty_basis}\n"
        "处罚种类：{penalty_type}\n罚没金额：{penalty_amount} 元\n案情简介：{case_description}\n"
        "处罚决定书：{decision_document_number}（{decision_document_file}，"
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
        "案件 {case_number} 的{deadline}期限为 {due_on}（{when}）。请按期办理。",
    ),
    ("deadline_reminder", "en"): (
        "Deadline reminder: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} is {due_on} ({when}). Please act in time.",
    ),
    ("deadline_escalation", "zh"): (
        "期限逾期督办：{case_number} {deadline}",
        "案件 {case_number} 的{deadline}期限 {due_on} 已过（{when}），尚未办结，请督办。",
    ),
    ("deadline_escalation", "en"): (
        "Deadline overdue: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} passed on {due_on} ({when}) with the act"
        " still undone. Please follow up.",
    ),
    ("deadline_missed", "zh"): (
        "期限逾期：{case_number} {deadline}",
        "案件 {case_number} 的{deadline}期限 {due_on} 已过而未办理（{noticed_on} 发现），请督办。",
    ),
    ("deadline_missed", "en"): (
        "Deadline missed: {case_number} {deadline}",
        "The {deadline} deadline of case {case_number} ({due_on}) passed undone (noticed"
        " {noticed_on}). Please follow up.",
    ),
    ("delivery_failed", "zh"): (
        "通知发送失败：{recipient}",
        "发给 {recipient} 的通知 {notification_id}（{rule}）经 {attempts} 次尝试仍未送达："
        "{last_error}。请核对通讯录后重发。",
    ),
    ("delivery_failed", "en"): (
        "Notice not delivered: {recipient}",
        "Notice {notification_id} ({rule}) to {recipient} failed after {attempts} attempts:"
        " {last_error}. Please check the directory and resend.",
    ),
}


# Values shown in the reader's language: (field, value) -> {language: text}
VALUE_NAMES: dict[tuple[str, str], dict[Language, str]] = {
    ("status", "suspended"): {"zh": "暂停", "en": "suspended"},
    ("status", "revoked"): {"zh": "撤销", "en": "revoked"},
    ("status", "cancelled"): {"zh": "注销", "en": "cancelled"},
    ("deadline", "rectification"): {"zh": "整改", "en": "rectification"},
    ("deadline", "cnca_report"): {"zh": "执法信息报送", "en": "CNCA report"},
    ("deadline", "register_decision"): {"zh": "立案决定", "en": "register decision"},
    ("deadline", "case_decision"): {"zh": "处理决定", "en": "case decision"},
    ("kind", "no_certificate"): {"zh": "应有证而无证生产", "en": "no certificate"},
    ("kind", "certificate_invalid"): {"zh": "证书失效仍生产", "en": "certificate not valid"},
    ("kind", "product_mismatch"): {"zh": "产品与证书不一致", "en": "product does not match"},
    ("kind", "mark_misuse"): {
        "zh": "违规使用证书或标志",
        "en": "certificate or mark misused",
    },
    ("kind", "external"): {
        "zh": "辖区外生产者违法",
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


CODE_FIELDS = ("enterprise_credit_code", "holder_credit_code", "subject_credit_code")


def enterprise(params: Mapping[str, Any], language: Language) -> str:
    """The enterprise an event is about: its name and credit code, or the code alone."""
    code = next((params[f] for f in CODE_FIELDS if params.get(f)), "-")
    name = params.get("enterprise_name")
    if not name:
        return str(code)
    return f"{name}（{code}）" if language == "zh" else f"{name} ({code})"


def render(template: str, language: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The subject and body of a notice in a language (Chinese when the language is unknown)."""
    chosen: Language = "en" if language == "en" else DEFAULT_LANGUAGE
    certifier = params.get("certification_body_name") or params.get("certification_body")
    params = {"enterprise": enterprise(params, chosen), "certifier": certifier, **params}
    subject, body = TEMPLATES[(template, chosen)]
    values = _Blank({key: _text(key, value, chosen) for key, value in params.items()})
    return subject.format_map(values), (body + CAUSE_LINE[chosen]).format_map(values)
