"""The one table of violations and the articles that punish them, with ranges and preconditions.

Each case problem names the articles that may punish it (``PROBLEM_ARTICLES``); each article,
by the version of the law in force on a day, the penalty types it allows, its fine range, and
what must have happened first (art 55 fines only a failure to correct by the ordered deadline).

CCC violations are punished under AQSIQ Order 117 of 2009
(强制性产品认证管理规定),
amended by SAMR Order 61 of 2022, which for uncertified production refers to the Regulations on
Certification and Accreditation (认证认可条例). Amounts are whole RMB yuan.

The Regulations were checked against their consolidated texts of 2020 and 2023 (State Council
Order 390 of 2003 as revised in 2016, 2020 and by the decision of 2023-07-20): art 66 punishes
catalogue products made, sold, imported or used uncertified, 50,000-200,000 yuan and confiscation
of illegal gains; the 2023 revision orders correction within a deadline and fines goods worth
less than 10,000 yuan at most twice their value (``SMALL_VALUE_BELOW``). Which version applies is
Administrative Penalty Law 2021 art 37: the law in force when the act was done, unless the law
in force at the decision punishes it more lightly (``applicable_rule``).
Order 117's own text (2009, and SAMR Order 61 of 2022) and the dates the 2022 and 2023 changes
took effect (``AMENDED_2022``, ``REGULATIONS_2023``) come from secondary sources and are to be
checked against the gazettes before a decision relies on them.

| problem | art | the act (Order 117) | types | fine (RMB) | first |
| --- | --- | --- | --- | --- | --- |
| no_certificate | 49 | catalogue product made/sold uncertified | F, C, O | 50,000-200,000 * | |
| certificate_invalid | 51 | made/sold while revoked/cancelled/suspended | F, C, O | as art 49 * | |
| certificate_forged | 53 ¶1 | certificate forged, altered, lent, transferred | F, O | 30,000 | |
| mark_misuse | 53 ¶2 | 3C mark transferred or resold | F, O | up to 30,000 | |
| mark_misuse | 55 | certificate content marked wrongly; mark misused | F, O | up to 20,000 | R |
| product_mismatch | 54 | sample differs from product; no change/extension | F, O | to 30,000 | |
| external | none | referred to the bureau responsible | | | |

F fine, C confiscation of illegal gains, O order to correct; R: only after an order to correct
by a deadline whose verification failed. * From 2023 (Regulations art 66 as revised): goods worth
less than 10,000 yuan, at most twice their value.
Arts 49 and 51 apply the Regulations' article on uncertified products (art 67 / art 66).
Not encoded: art 50 (certified products made against the legal conditions: the State Council's
special provisions on product safety apply), art 52 (exemption certificates: customs), and the
articles on certification bodies and their staff (the Regulations' own chapter). Art 55 reads
"责令限期改正，逾期未改正的，处2万元以下罚款": its fine needs a rectification order whose
verification failed (``RECTIFICATION_MISSED``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from ccc_contracts.enforcement import CaseProblem, PenaltyType
from enforcement.domain.base import DomainError

Precondition = Literal["none", "rectification_missed"]
RECTIFICATION_MISSED: Precondition = "rectification_missed"

AMENDED_2022 = date(2022, 11, 1)  # SAMR Order 61 of 2022 in force: to be checked (see above)
ORDER_117_IN_FORCE = date(2009, 9, 1)
# The State Council's decision of 2023-07-20 revising the Regulations in force: to be checked.
REGULATIONS_2023 = date(2023, 9, 1)
# Regulations art 66 (2023): "未经认证的违法产品货值金额不足1万元的，处货值金额2倍以下的罚款"
SMALL_VALUE_BELOW = 10_000
SMALL_VALUE_MULTIPLE = 2

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
    precondition: Precondition = "none"
    small_value_below: int | None = None  # goods worth less are fined at most twice their value

    def in_force_on(self, day: date) -> bool:
        """Whether this version applies to an act judged on this day."""
        ended = self.in_force_until is not None and day > self.in_force_until
        return self.in_force_from <= day and not ended

    def fine_bounds(self, goods_value: int | None = None) -> tuple[int, int]:
        """The lowest and highest fine for goods of this value (None: not stated)."""
        small = self.small_value_below
        if small is not None and goods_value is not None and goods_value < small:
            return 1, SMALL_VALUE_MULTIPLE * goods_value
        return self.fine_min, self.fine_max

    def fine_range(self, goods_value: int | None = None) -> str:
        """The fine range as a decision document would quote it."""
        low, high = self.fine_bounds(goods_value)
        if high < low:
            return f"no fine (goods worth {goods_value:,} RMB)"
        if low == high:
            return f"exactly {low:,} RMB"
        return f"{low:,} to {high:,} RMB"


def versions(
    article: str,
    types: frozenset[PenaltyType],
    low: int,
    high: int,
    before: str,
    after: str,
    precondition: Precondition = "none",
) -> tuple[PenaltyRule, PenaltyRule]:
    """The 2009 text and the 2022 amended text of one article."""
    last_day_2009 = date.fromordinal(AMENDED_2022.toordinal() - 1)
    return (
        PenaltyRule(
            article, "Order 117 (2009)", before, types, low, high, ORDER_117_IN_FORCE,
            last_day_2009, precondition,
        ),
        PenaltyRule(
            article, "Order 117 (2022 amendment)", after, types, low, high, AMENDED_2022, None,
            precondition,
        ),
    )  # fmt: skip


def uncertified(article: str) -> tuple[PenaltyRule, ...]:
    """Arts 49 and 51, which punish under the Regulations' article on uncertified products: the
    2009 text (art 67 of 2003), the 2022 amendment (art 66), and the 2023 revision of art 66."""
    regulations = "Regulations on Certification and Accreditation"
    before, amended = versions(
        article, UNCERTIFIED_TYPES, 50_000, 200_000, f"{regulations} art 67",
        f"{regulations} art 66",
    )  # fmt: skip
    last_day_2020_text = date.fromordinal(REGULATIONS_2023.toordinal() - 1)
    return (
        before,
        replace(amended, in_force_until=last_day_2020_text),
        replace(
            amended, version="Order 117 (2022 amendment), Regulations (2023 revision)",
            in_force_from=REGULATIONS_2023,
            small_value_below=SMALL_VALUE_BELOW,
        ),
    )  # fmt: skip


PENALTY_TABLE: tuple[PenaltyRule, ...] = (
    *uncertified("Order 117 art 49"),
    *uncertified("Order 117 art 51"),
    *versions("Order 117 art 53", CORRECTION_TYPES, 30_000, 30_000, "", ""),  # para 1
    *versions("Order 117 art 53 para 2", CORRECTION_TYPES, 1, 30_000, "", ""),
    *versions("Order 117 art 54", CORRECTION_TYPES, 1, 30_000, "", ""),
    *versions("Order 117 art 55", CORRECTION_TYPES, 1, 20_000, "", "", RECTIFICATION_MISSED),
)

# Which articles may punish each case problem (the table above); none for ``external``.
PROBLEM_ARTICLES: dict[CaseProblem, tuple[str, ...]] = {
    "no_certificate": ("Order 117 art 49",),
    "certificate_invalid": ("Order 117 art 51",),
    "certificate_forged": ("Order 117 art 53",),
    "mark_misuse": ("Order 117 art 53 para 2", "Order 117 art 55"),
    "product_mismatch": ("Order 117 art 54",),
    "external": (),
}


class PenaltyOutOfRangeError(DomainError):
    """A penalty its basis article does not allow."""


class PenaltyArticleMismatchError(DomainError):
    """A penalty under an article that does not punish the case's problem, or not yet."""


def check_article_fits(problem: CaseProblem, rule: PenaltyRule, rectification_missed: bool) -> None:
    """Refuse an article that does not punish this problem, or whose precondition is unmet."""
    allowed = PROBLEM_ARTICLES[problem]
    if rule.article not in allowed:
        which = ", ".join(allowed) if allowed else "none here (refer it to the bureau responsible)"
        raise PenaltyArticleMismatchError(
            f"{rule.article} does not punish {problem}; the articles for {problem}: {which}",
            code="penalty.article_does_not_fit_problem",
            fields=["basis_article"],
        )
    if rule.precondition == RECTIFICATION_MISSED and not rectification_missed:
        raise PenaltyArticleMismatchError(
            f"{rule.article} fines only a failure to correct by the ordered deadline"
            " (责令限期改正，逾期未改正): order rectification and record its failed"
            " verification first",
            code="penalty.needs_missed_rectification",
            fields=["basis_article"],
        )


def rule_for(basis_article: str, on_date: date) -> PenaltyRule:
    """The version of an article in force on a date, or an error naming the known articles."""
    for rule in PENALTY_TABLE:
        if rule.article == basis_article and rule.in_force_on(on_date):
            return rule
    known = sorted({rule.article for rule in PENALTY_TABLE})
    raise PenaltyOutOfRangeError(
        f"no penalty article {basis_article!r} in force on {on_date}; known: {', '.join(known)}",
        code="penalty.unknown_article",
        fields=["basis_article"],
    )


def applicable_rule(
    basis_article: str,
    act_day: date,
    decided_on: date | None = None,
    goods_value: int | None = None,
) -> PenaltyRule:
    """Administrative Penalty Law 2021 art 37: the version in force when the act was done; but
    where the version in force on the day of the decision punishes it more lightly (a lower
    highest fine for these goods, or the same highest and a lower lowest), that one."""
    then = rule_for(basis_article, act_day)
    if decided_on is None or then.in_force_on(decided_on):
        return then
    try:
        now = rule_for(basis_article, decided_on)
    except PenaltyOutOfRangeError:
        return then
    low_now, high_now = now.fine_bounds(goods_value)
    low_then, high_then = then.fine_bounds(goods_value)
    return now if (high_now, low_now) < (high_then, low_then) else then


def check_penalty(
    basis_article: str,
    penalty_type: PenaltyType,
    amount: int,
    on_date: date,
    decided_on: date | None = None,
    goods_value: int | None = None,
) -> PenaltyRule:
    """The rule a penalty is decided under, or a PenaltyOutOfRangeError naming what is allowed.

    ``on_date`` is the day of the act (or, unknown, the day it was found); ``decided_on`` the
    day of the decision (art 37, ``applicable_rule``); ``goods_value`` the value of the goods."""
    rule = applicable_rule(basis_article, on_date, decided_on, goods_value)
    where = f"{basis_article} ({rule.version}, in force on {on_date})"
    if rule.in_force_from > on_date:
        where = f"{basis_article} ({rule.version}, lighter than the law of {on_date}: art 37)"
    if penalty_type not in rule.types:
        allowed = ", ".join(sorted(rule.types))
        raise PenaltyOutOfRangeError(
            f"{where} allows {allowed}, not {penalty_type}",
            code="penalty.type_not_allowed",
            fields=["penalty_type"],
        )
    low, high = rule.fine_bounds(goods_value)
    if penalty_type == "fine" and not low <= amount <= high:
        raise PenaltyOutOfRangeError(
            f"{where}: a fine of {amount:,} RMB is outside the allowed"
            f" {rule.fine_range(goods_value)}",
            code="penalty.fine_out_of_range",
            fields=["amount"],
        )
    if penalty_type == "order_to_correct" and amount != 0:
        raise PenaltyOutOfRangeError(
            f"{where}: an order to correct carries no amount",
            code="penalty.order_to_correct_has_amount",
            fields=["amount"],
        )
    if penalty_type == "confiscation_of_illegal_gains" and amount <= 0:
        raise PenaltyOutOfRangeError(
            f"{where}: confiscation needs the amount of illegal gains",
            code="penalty.confiscation_needs_amount",
            fields=["amount"],
        )
    return rule
