"""A demo jurisdiction: a county district's catalogue enterprises, their certificates and bodies.

Generated from a fixed seed, so every run (and a second ``make demo`` on the same data folder)
produces the same enterprises with the same valid credit codes (GB 32100-2015 check character),
and loading it again changes nothing. The names are made up but read like real ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ccc_contracts.credit_code import CHARACTERS, check_character

DIVISION = "330102"  # 杭州市上城区: the demo bureau's jurisdiction (GB/T 2260)
NEIGHBOUR_DIVISION = "330110"  # 杭州市余杭区: a neighbouring bureau, for external violations

# (catalogue code, product category, certification body code, model prefix)
CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("0101", "电线电缆", "CQC", "BV"),
    ("0201", "插头插座", "CQC", "S"),
    ("0301", "低压开关电器", "CQC", "NXB"),
    ("0701", "家用电器", "CQC", "KFR"),
    ("0901", "信息技术设备", "CQC", "PA"),
    ("1001", "照明电器", "CQC", "LED"),
    ("2201", "儿童用品", "CQC", "ET"),
    ("2401", "家用燃气器具", "CQC", "JZT"),
)
# The seed's campaign: fire-fighting products that must carry the 3C mark by the deadline.
FIRE_CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("1801", "火灾报警产品", "CCCF", "JTY"),
    ("1802", "喷水灭火产品", "CCCF", "ZSTX"),
    ("1803", "消防水带", "CCCF", "13-65"),
    ("1804", "消防应急照明和疏散指示产品", "CCCF", "YJBL"),
    ("1805", "防火门", "CCCF", "GFM"),
    ("1806", "消防装备产品", "CCCF", "RHF"),
    ("1812", "灭火器", "CCCF", "MFZ"),
)
BODIES: tuple[dict[str, str], ...] = (
    {
        "code": "CQC",
        "name": "中国质量认证中心",
        "accreditation_number": "CNCA-R-2002-001",
    },
    {
        "code": "CCCF",
        "name": "应急管理部消防产品合格评定中心",
        "accreditation_number": "CNCA-R-2002-002",
    },
)
STREETS = ("解放路", "延安路", "清泰街", "望江路", "秋涛路", "建国南路", "中山南路")
BRANDS = (
    "宏达", "华兴", "恒通", "正和", "安信", "盛源", "永明", "天虹", "金盾", "浙安",
    "瑞丰", "嘉禾", "新业", "东方", "银河", "之江", "西子", "钱塘", "鑫源", "博远",
)  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
# The inspectors who keep the dossiers ("100% dossiers": every one has a named custodian).
CUSTODIANS = ("inspector-7", "inspector-8", "inspector-9")
SCALES = ("large", "medium", "small", "small", "micro")


@dataclass(frozen=True)
class DemoEnterprise:
    """One enterprise of the demo jurisdiction and the certificates it holds."""

    registration: dict[str, Any]
    certificates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def credit_code(self) -> str:
        """The enterprise's unified social credit code."""
        code: str = self.registration["credit_code"]
        return code


@dataclass(frozen=True)
class Jurisdiction:
    """The demo bureau's district: certification bodies and catalogue enterprises."""

    bodies: tuple[dict[str, str], ...]
    enterprises: tuple[DemoEnterprise, ...]
    fire_categories: tuple[str, ...]

    def certificates(self) -> list[dict[str, Any]]:
        """Every certificate of every enterprise."""
        return [c for enterprise in self.enterprises for c in enterprise.certificates]


def credit_code(rng: random.Random, division: str = DIVISION) -> str:
    """A valid credit code of an enterprise (91) registered in ``division``."""
    body = "91" + division + "".join(rng.choice(CHARACTERS) for _ in range(9))
    return body + check_character(body)


def person(rng: random.Random) -> str:
    """A made-up Chinese personal name."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def enterprise_name(rng: random.Random, brand: str, category: str) -> str:
    """A made-up company name: city, brand, trade and legal form."""
    city = rng.choice(("杭州", "浙江"))
    return f"{city}{brand}{category}有限公司"


def build_jurisdiction(size: int = 36, *, today: date, seed: int = 117) -> Jurisdiction:
    """The demo district with ``size`` enterprises (fire-product makers among them)."""
    rng = random.Random(seed)
    enterprises: list[DemoEnterprise] = []
    serial = 0
    for index in range(size):
        fire = index % 3 == 0  # a third make fire-fighting products: the campaign's scope
        code, category, body, prefix = rng.choice(FIRE_CATEGORIES if fire else CATEGORIES)
        suffix = "" if index < len(BRANDS) else rng.choice("甲乙丙丁")
        brand = BRANDS[index % len(BRANDS)] + suffix
        name = enterprise_name(rng, brand, category)
        credit = credit_code(rng)
        registration = {
            "credit_code": credit,
            "name": name,
            "address": f"杭州市上城区{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            "region": "上城区",
            "scale": rng.choice(SCALES),
            "legal_representative": person(rng),
            "contact": f"0571-8{rng.randint(1000000, 9999999)}",
            "in_jurisdiction": True,
            "key_enterprise": rng.random() < 0.15,
            "product_categories": [code],
            "custodian_id": CUSTODIANS[index % len(CUSTODIANS)],
        }
        certificates = []
        # Most hold a certificate; some campaign enterprises have not applied yet.
        if not (fire and index % 2 == 1):
            serial += 1
            issued = today - timedelta(days=rng.randint(60, 1500))
            certificates.append(
                {
                    "number": f"{issued.year}{code}{serial:08d}",
                    "holder_credit_code": credit,
                    "manufacturer": name,
                    "factory": f"{name}上城工厂",
                    "product_category": code,
                    "models": [f"{prefix}-{rng.randint(10, 99)}{m}" for m in "AB"],
                    "certification_body": body,
                    "issued_on": issued.isoformat(),
                }
            )
        enterprises.append(DemoEnterprise(registration, certificates))
    fire_codes = tuple(code for code, *_ in FIRE_CATEGORIES)
    return Jurisdiction(BODIES, tuple(enterprises), fire_codes)
