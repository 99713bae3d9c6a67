"""The CNCA report's words: the bureau's codes as the report and the law write them (Chinese).

The law's names are those of the official titles: 《强制性产品认证管理规定》 (AQSIQ Order 117
of 2009, amended 2022) and 《中华人民共和国认证认可条例》; paragraphs as 第N款.
"""

from __future__ import annotations

from ccc_contracts.enforcement import CaseProblem, CaseSource, PenaltyType, SubjectKind

SOURCE_NAMES: dict[CaseSource, str] = {
    "violation": "监督检查发现",
    "complaint": "投诉举报",
    "manual": "其他途径",
}
PENALTY_TYPE_NAMES: dict[PenaltyType, str] = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation_of_illegal_gains": "没收违法所得",
    "order_to_correct": "责令改正",
    "order_to_stop": "责令停止生产、销售",
}
PROBLEM_NAMES: dict[CaseProblem, str] = {
    "no_certificate": "列入目录的产品未经认证，擅自出厂、销售",
    "certificate_invalid": "认证证书撤销、注销或者暂停期间，产品继续出厂、销售",
    "certificate_forged": "伪造、变造、出租、出借、冒用、买卖或者转让认证证书",
    "product_mismatch": "实际生产的产品与认证样品或认证证书不一致",
    "mark_misuse": "未按照规定使用认证标志",
    "external": "辖区外企业的违法行为（已移送）",
}
SUBJECT_KIND_NAMES: dict[SubjectKind, str] = {
    "enterprise": "企业",
    "certification_body": "认证机构",
    "certification_body_staff": "认证机构从业人员",
}
ORDER_117 = "《强制性产品认证管理规定》"
REGULATIONS = "《中华人民共和国认证认可条例》"
NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 to 99 as the law writes an article's number (第四十九条)."""
    if not 1 <= n <= 99:
        raise ValueError(f"no article number {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return head + ("" if ones == 0 else NUMERALS[ones])


def article_name(article: str) -> str:
    """``Order 117 art 53 para 2`` as 《强制性产品认证管理规定》第五十三条第二款; ``Regulations on
    Certification and Accreditation art 66`` as 《中华人民共和国认证认可条例》第六十六条."""
    law, _, rest = article.partition(" art ")
    number, _, paragraph = rest.partition(" para ")
    title = ORDER_117 if law == "Order 117" else REGULATIONS
    name = f"{title}第{chinese_number(int(number))}条"
    return name + (f"第{chinese_number(int(paragraph))}款" if paragraph else "")
