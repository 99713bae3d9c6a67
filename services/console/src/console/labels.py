"""Names of the services' coded values (statuses, kinds, grounds) in Chinese and English."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # case statuses
    "clue": ("线索", "clue"),
    "referred": ("已移送", "referred"),
    "registered": ("已立案", "registered"),
    "investigating": ("调查中", "investigating"),
    "notified": ("已告知", "party notified"),
    "decided": ("已决定", "decided"),
    "executed": ("已执行", "executed"),
    "closed": ("已结案", "closed"),
    "dropped": ("不予立案", "dropped"),
    # inspection statuses and kinds
    "scheduled": ("待检查", "scheduled"),
    "assigned": ("已分派", "assigned"),
    "started": ("检查中", "started"),
    "completed": ("已完成", "completed"),
    "cancelled": ("已取消", "cancelled"),
    "patrol": ("日常巡查", "patrol"),
    "surprise": ("突击检查", "surprise inspection"),
    "spot_check": ("专项监督抽查", "special spot check"),
    "joint_verification": ("联合市场核查", "joint verification"),
    "complaint_followup": ("投诉核查", "complaint follow-up"),
    # the patrol record's five areas and their results
    "purchasing": ("采购", "purchasing"),
    "production": ("生产", "production"),
    "testing": ("检验", "testing"),
    "warehousing": ("仓储", "warehousing"),
    "mark_use": ("3C 标志使用", "use of the 3C mark"),
    "conforming": ("符合", "conforming"),
    "nonconforming": ("不符合", "nonconforming"),
    "not_applicable": ("不适用", "not applicable"),
    # notice statuses
    "queued": ("待发送", "queued"),
    "sending": ("发送中", "sending"),
    "sent": ("已发送", "sent"),
    "delivered": ("已送达", "delivered"),
    "acknowledged": ("已确认", "acknowledged"),
    "failed": ("发送失败", "failed"),
    # complaint channels
    "hotline": ("举报电话", "hotline"),
    "letter": ("来信", "letter"),
    "web": ("网上", "web"),
    "referral": ("转办", "referral"),
    # certificate statuses
    "valid": ("有效", "valid"),
    "suspended": ("暂停", "suspended"),
    "revoked": ("撤销", "revoked"),
    "expired": ("过期", "expired"),
    # problems
    "no_certificate": ("应有证而无证生产", "producing without a certificate"),
    "certificate_invalid": (
        "证书暂停、注销或撤销期间生产",
        "producing while the certificate is not valid",
    ),
    "product_mismatch": ("产品与证书不一致", "product does not match the certificate"),
    "mark_misuse": ("伪造、冒用证书或 3C 标志", "forged or misused certificate or mark"),
    "external": ("外部通报", "reported from outside"),
    # penalty types
    "warning": ("警告", "warning"),
    "fine": ("罚款", "fine"),
    "confiscation_of_illegal_gains": ("没收违法所得", "confiscation of illegal gains"),
    "order_to_correct": ("责令改正", "order to correct"),
    "order_to_stop": ("责令停止", "order to stop"),
    # no-penalty grounds
    "not_established": ("违法事实不成立", "violation not established"),
    "warning_sufficient": ("告诫已足够", "the warning suffices"),
    "rectified": ("已整改", "rectified"),
    "minor_guidance": ("轻微问题，已指导", "minor, guidance given"),
    # certificate grounds (CCC Regulation arts 26-28)
    "certification_rules_changed": (
        "认证规则变化（第二十七条）",
        "certification rules changed (art 27)",
    ),
    "certification_rules_violated": (
        "违反认证规则（第二十七条）",
        "certification rules violated (art 27)",
    ),
    "follow_up_refused_or_failed": (
        "拒绝或未通过获证后监督（第二十七条）",
        "follow-up refused or failed (art 27)",
    ),
    "holder_requested": ("持证人申请", "the holder asked"),
    "holder_request_withdrawn": ("持证人撤回申请", "the holder withdrew its request"),
    "catalogue_or_standard_changed": (
        "目录或标准变化（第二十六条）",
        "catalogue or standard changed (art 26)",
    ),
    "validity_ended_not_renewed": (
        "有效期届满未延续（第二十六条）",
        "validity ended, not renewed (art 26)",
    ),
    "no_longer_produced": ("不再生产（第二十六条）", "no longer produced (art 26)"),
    "model_banned": ("型号被禁止（第二十六条）", "model banned (art 26)"),
    "defect_caused_accident": (
        "缺陷导致质量安全事故（第二十八条）",
        "defect caused an accident (art 28)",
    ),
    "not_rectified_while_suspended": (
        "暂停期间未整改（第二十八条）",
        "not rectified while suspended (art 28)",
    ),
    "obtained_improperly": ("以不正当手段获得（第二十八条）", "obtained improperly (art 28)"),
    "other": ("其他", "other"),
    # why a case's handling clock stands still (SAMR procedure provisions art 64 para 2)
    "hearing": ("听证", "hearing"),
    "inspection": ("检验", "inspection"),
    "quarantine": ("检疫", "quarantine"),
    "appraisal": ("鉴定", "appraisal"),
    "public_notice": ("公告", "public notice"),
    "suspension": ("中止", "suspension"),
}


def label(value: object, language: str) -> str:
    """The name of a coded value in ``language`` (the value itself when unnamed)."""
    pair = LABELS.get(str(value))
    if pair is None:
        return "" if value is None else str(value)
    return pair[1] if language == "en" else pair[0]
