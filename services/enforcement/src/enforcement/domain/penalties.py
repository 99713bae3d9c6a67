"""The one table of penalty articles and their ranges, by the version of the law in force on a day.

CCC violations are punished under AQSIQ Order 117 of 2009
(强制性产品认证管理规定),
amended by SAMR Order 61 of 2022, which for uncertified production refers to the Regulations on
Certification and Accreditation (认证认可条例). Amounts are whole RMB yuan.

THE FIGURES, ARTICLE NUMBERS AND DATES BELOW ARE TRANSCRIBED FROM SECONDARY SOURCES AND MUST BE
CHECKED AGAINST THE OFFICIAL TEXTS (SAMR and State Council gazettes) before a decision relies on
them. In particular the date the 2022 amendment took effect and the Regulations' article
numbering (art 67 in the 2003 text, art 66 after renumbering) are to be confirmed.

| art | problem | penalty types | fine (RMB) |
| --- | --- | --- | --- |
| 49 | made/sold without a certificate | fine, confiscation, correct | 50,000-200,000 |
| 51 | made/sold on a suspended/revoked/cancelled one | as art 49 | 50,000-200,000 |
| 53 | certificate forged, altered, lent, transferred | fine, correct | 30,000 |
| 55 | 3C mark used improperly | fine, correct | up to 20,000 |

Arts 49 and 51 apply the Regulations' article on uncertified products (art 67 / art 66).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ccc_shared.contracts.enforcement import PenaltyType
from enforcement.domain.base import DomainError

AMENDED_2022 = date(2022, 11, 1)  # SAMR Order 61 of 2022 in force: to be checked (see above)
ORDER_117_IN_FORCE = date(2009, 9, 1)

UNCERTIFIED_TYPES: frozenset[PenaltyType] = frozenset(
    {"fine", "confiscation_of_illegal_gains", "order_to_correct"}
)
CORRECTION_TYPES: frozenset[PenaltyType] = frozenset({"fine", "order_to_correct"})


@dataclass(frozen=True)
class PenaltyRule:
    """What one article allows, in one version of the law, between two dates."""

    article: str
    version: str
    refers_to: str
    types: frozenset[PenaltyType]
    fine_min: int
    fine_max: int
    in_force_from: date
    in_force_until: date | None = None  # the last day; None while still in force

    def in_force_on(self, day: date) -> bool:
        """Whether this version applies to an act judged on this day."""
        ended = self.in_force_until is not None and day > self.in_force_until
        return self.in_force_from <= day and not ended

    def fine_range(self) -> str:
        """The fine range as a decision document would quote it."""
        if self.fine_min == self.fine_max:
            return f"exactly {self.fine_min:,} RMB"
        return f"{self.fine_min:,} to {self.fine_max:,} RMB"


def versions(
    article: str, types: frozenset[PenaltyType], low: int, high: int, before: str, after: str
) -> tuple[PenaltyRule, PenaltyRule]:
    """The 2009 text and the 2022 amended text of one article."""
    last_day_2009 = date.fromordinal(AMENDED_2022.toordinal() - 1)
    return (
        PenaltyRule(
            article, "Order 117 (2009)", before, types, low, high, ORDER_117_IN_FORCE, last_day_2009
        ),
        PenaltyRule(article, "Order 117 (2022 amendment)", after, types, low, high, AMENDED_2022),
    )


PENALTY_TABLE: tuple[PenaltyRule, ...] = (
    *versions(
        "Order 117 art 49",
        UNCERTIFIED_TYPES,
        50_000,
        200_000,
        "Regulations on Certification and Accreditation art 67",
        "Regulations on Certification and Accreditation art 66",
    ),
    *versions(
        "Order 117 art 51",
        UNCERTIFIED_TYPES,
        50_000,
        200_000,
        "Regulations on Certification and Accreditation art 67",
        "Regulations on Certification and Accreditation art 66",
    ),
    *versions("Order 117 art 53", CORRECTION_TYPES, 30_000, 30_000, "", ""),
    *versions("Order 117 art 55", CORRECTION_TYPES, 1, 20_000, "", ""),
)


class PenaltyOutOfRangeError(DomainError):
    """A penalty its basis article does not allow."""


def rule_for(basis_article: str, on_date: date) -> PenaltyRule:
    """The version of an article in force on a date, or an error naming the known articles."""
    for rule in PENALTY_TABLE:
        if rule.article == basis_article and rule.in_force_on(on_date):
            return rule
    known = sorted({rule.article for rule in PENALTY_TABLE})
    raise PenaltyOutOfRangeError(
        f"no penalty article {basis_article!r} in force on {on_date}; known: {', '.join(known)}"
    )


def check_penalty(
    basis_article: str, penalty_type: PenaltyType, amount: int, on_date: date
) -> PenaltyRule:
    """The rule a penalty is decided under, or a PenaltyOutOfRangeError naming what is allowed."""
    rule = rule_for(basis_article, on_date)
    where = f"{basis_article} ({rule.version}, in force on {on_date})"
    if penalty_type not in rule.types:
        allowed = ", ".join(sorted(rule.types))
        raise PenaltyOutOfRangeError(f"{where} allows {allowed}, not {penalty_type}")
    if penalty_type == "fine" and not rule.fine_min <= amount <= rule.fine_max:
        raise PenaltyOutOfRangeError(
            f"{where}: a fine of {amount:,} RMB is outside the allowed {rule.fine_range()}"
        )
    if penalty_type == "order_to_correct" and amount != 0:
        raise PenaltyOutOfRangeError(f"{where}: an order to correct carries no amount")
    if penalty_type == "confiscation_of_illegal_gains" and amount <= 0:
        raise PenaltyOutOfRangeError(f"{where}: confiscation needs the amount of illegal gains")
    return rule
