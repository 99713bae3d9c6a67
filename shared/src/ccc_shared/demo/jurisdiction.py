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

from ccc_shared.credit_code import CHARACTERS, check_character

DIVISION = "330106"  # 杭州市西湖區(qū): the demo bureau's jurisdiction (GB/T 2260)
NEIGHBOUR_DIVISION = "330110"  # 杭州市余杭區(qū): a neighbouring bureau, for external violations

# (catalogue code, product category, certification body code, model prefix)
CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("0101", "電線電纜", "CQC", "BV"),
    ("0201", "插頭插座", "CQC", "S"),
    ("0301", "低壓開關(guān)電器", "CQC", "NXB"),
    ("0701", "家用電器", "CQC", "KFR"),
    ("0901", "信息技術(shù)設(shè)備", "CQC", "PA"),
    ("1001", "照明電器", "CQC", "LED"),
    ("2201", "兒童用品", "CQC", "ET"),
    ("2401", "家用燃气器具", "CQC", "JZT"),
)
# The seed's campaign: fire-fighting products that must carry the 3C mark by the deadline.
FIRE_CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("1801", "火災(zāi)報(bào)警產(chǎn)品", "CCCF", "JTY"),
    ("1802", "噴水滅火產(chǎn)品", "CCCF", "ZSTX"),
    ("1803", "消防水帶", "CCCF", "13-65"),
    ("1804", "消防應(yīng)急照明和疏散指示產(chǎn)品", "CCCF", "YJBL"),
    ("1805", "防火門", "CCCF", "GFM"),
    ("1806", "消防裝備產(chǎn)品", "CCCF", "RHF"),
    ("1812", "滅火器", "CCCF", "MFZ"),
)
BODIES: tuple[dict[str, str], ...] = (
    {
        "code": "CQC",
        "name": "中國質(zhì)量認(rèn)證中心",
        "accreditation_number": "CNCA-R-2002-001",
    },
    {
        "code": "CCCF",
        "name": "應(yīng)急管理部消防產(chǎn)品合格評定中心",
        "accreditation_number": "CNCA-R-2002-002",
    },
)
STREETS = ("文三路", "文一西路", "古墩路", "天目山路", "西溪路", "轉(zhuǎn)塘街道", "三墩鎮(zhèn)")
BRANDS = (
    "宏達(dá)", "華興", "恒通", "正和", "安信", "盛源", "永明", "天虹", "金盾", "浙安",
    "瑞豐", "嘉禾", "新業(yè)", "東方", "銀河", "之江", "西子", "錢塘", "鑫源", "博遠(yuǎn)",
)  # fmt: skip
SURNAMES = "王李張劉陳楊趙黃周吳徐孫胡朱高林何郭馬羅"
GIVEN = ("偉", "芳", "娜", "敏", "靜", "強(qiáng)", "磊", "軍", "洋", "勇", "艷", "杰", "濤", "明")
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
            "address": f"杭州市西湖區(qū){rng.choice(STREETS)}{rng.randint(1, 999)}號(hào)",
            "region": "西湖區(qū)",
            "scale": rng.choice(SCALES),
            "legal_representative": person(rng),
            "contact": f"0571-8{rng.randint(1000000, 9999999)}",
            "in_jurisdiction": True,
            "key_enterprise": rng.random() < 0.15,
            "product_categories": [code],
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
                    "factory": f"{name}西湖工廠",
                    "product_category": code,
                    "models": [f"{prefix}-{rng.randint(10, 99)}{m}" for m in "AB"],
                    "certification_body": body,
                    "issued_on": issued.isoformat(),
                }
            )
        enterprises.append(DemoEnterprise(registration, certificates))
    fire_codes = tuple(code for code, *_ in FIRE_CATEGORIES)
    return Jurisdiction(BODIES, tuple(enterprises), fire_codes)
