"""Penalty ranges per article: inside, at the bounds, outside; and the version in force."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccc_shared.contracts import all_contracts
from ccc_shared.contracts.enforcement import PenaltyDecided
from enforcement.domain.penalties import (
    AMENDED_2022,
    PENALTY_TABLE,
    REGULATIONS_2023,
    PenaltyOutOfRangeError,
    applicable_rule,
    check_penalty,
    rule_for,
)

pytestmark = pytest.mark.unit
ON = date(2025, 3, 3)

# (article, lowest fine, highest fine), written out again independently of the table.
RANGES = [
    ("Order 117 art 49", 50_000, 200_000),
    ("Order 117 art 51", 50_000, 200_000),
    ("Order 117 art 53", 30_000, 30_000),
    ("Order 117 art 55", 1, 20_000),
]


@pytest.mark.parametrize(("article", "low", "high"), RANGES)
def test_fines_inside_and_at_the_bounds_are_accepted(article: str, low: int, high: int) -> None:
    for amount in (low, (low + high) // 2, high):
        assert check_penalty(article, "fine", amount, ON).article == article


@pytest.mark.parametrize(("article", "low", "high"), RANGES)
def test_fines_outside_are_refused_naming_the_range(article: str, low: int, high: int) -> None:
    for amount in (low - 1, high + 1):
        with pytest.raises(PenaltyOutOfRangeError, match=f"{low:,}") as error:
            check_penalty(article, "fine", amount, ON)
        assert f"{amount:,} RMB" in str(error.value)
        assert article in str(error.value)


def test_uncertified_production_refers_to_the_regulations_by_the_version_in_force() -> None:
    before = rule_for("Order 117 art 49", date(2020, 1, 1))
    after = rule_for("Order 117 art 49", AMENDED_2022)
    assert before.refers_to.endswith("art 67")
    assert after.refers_to.endswith("art 66")
    assert after.version == "Order 117 (2022 amendment)"


def test_an_unknown_article_or_a_date_before_order_117_is_refused() -> None:
    with pytest.raises(PenaltyOutOfRangeError, match="known: Order 117 art 49"):
        check_penalty("Order 117 art 99", "fine", 1_000, ON)
    with pytest.raises(PenaltyOutOfRangeError, match="in force on 2008-01-01"):
        check_penalty("Order 117 art 49", "fine", 50_000, date(2008, 1, 1))


def test_a_type_the_article_does_not_allow_is_refused() -> None:
    with pytest.raises(PenaltyOutOfRangeError, match="not confiscation_of_illegal_gains"):
        check_penalty("Order 117 art 53", "confiscation_of_illegal_gains", 5_000, ON)


def test_an_order_to_correct_has_no_amount_and_a_confiscation_has_one() -> None:
    assert check_penalty("Order 117 art 49", "order_to_correct", 0, ON)
    with pytest.raises(PenaltyOutOfRangeError, match="carries no amount"):
        check_penalty("Order 117 art 49", "order_to_correct", 10, ON)
    assert check_penalty("Order 117 art 49", "confiscation_of_illegal_gains", 12_345, ON)
    with pytest.raises(PenaltyOutOfRangeError, match="amount of illegal gains"):
        check_penalty("Order 117 art 49", "confiscation_of_illegal_gains", 0, ON)


def test_every_article_has_exactly_one_version_in_force_on_any_day() -> None:
    for day in (
        date(2010, 1, 1),
        AMENDED_2022,
        date(2023, 8, 31),
        REGULATIONS_2023,
        date(2030, 1, 1),
    ):
        for article in {rule.article for rule in PENALTY_TABLE}:
            assert sum(r.article == article and r.in_force_on(day) for r in PENALTY_TABLE) == 1


RANGE_OF = {article: (low, high) for article, low, high in RANGES}


@given(
    article=st.sampled_from(sorted(RANGE_OF)),
    amount=st.integers(min_value=-10, max_value=300_000),
)
def test_a_fine_is_accepted_exactly_when_inside_its_range(article: str, amount: int) -> None:
    low, high = RANGE_OF[article]
    try:
        check_penalty(article, "fine", amount, ON)
    except PenaltyOutOfRangeError:
        assert not low <= amount <= high, f"{amount:,} RMB refused under {article}"
    else:
        assert low <= amount <= high, f"{amount:,} RMB accepted under {article}"


# Regulations on Certification and Accreditation art 66 as revised in 2023: "未经认证的违法产品
# 货值金额不足1万元的，处货值金额2倍以下的罚款"; otherwise 50,000 to 200,000 as before.
AFTER_2023 = date(2024, 5, 6)


@pytest.mark.parametrize("article", ["Order 117 art 49", "Order 117 art 51"])
def test_goods_worth_less_than_10000_are_fined_at_most_twice_their_value(article: str) -> None:
    assert check_penalty(article, "fine", 1, AFTER_2023, goods_value=4_000)
    assert check_penalty(article, "fine", 8_000, AFTER_2023, goods_value=4_000)
    for amount in (8_001, 50_000):
        with pytest.raises(PenaltyOutOfRangeError, match="1 to 8,000 RMB"):
            check_penalty(article, "fine", amount, AFTER_2023, goods_value=4_000)
    with pytest.raises(PenaltyOutOfRangeError, match="1 to 19,998 RMB"):
        check_penalty(article, "fine", 20_000, AFTER_2023, goods_value=9_999)


@pytest.mark.parametrize("goods_value", [None, 10_000, 3_000_000])
def test_goods_of_10000_or_more_or_of_no_stated_value_keep_50000_to_200000(
    goods_value: int | None,
) -> None:
    assert check_penalty("Order 117 art 49", "fine", 50_000, AFTER_2023, goods_value=goods_value)
    assert check_penalty("Order 117 art 49", "fine", 200_000, AFTER_2023, goods_value=goods_value)
    with pytest.raises(PenaltyOutOfRangeError, match="50,000 to 200,000 RMB"):
        check_penalty("Order 117 art 49", "fine", 49_999, AFTER_2023, goods_value=goods_value)


def test_goods_of_no_value_allow_no_fine_but_the_other_measures() -> None:
    with pytest.raises(PenaltyOutOfRangeError, match="no fine"):
        check_penalty("Order 117 art 49", "fine", 1, AFTER_2023, goods_value=0)
    assert check_penalty("Order 117 art 49", "order_to_correct", 0, AFTER_2023, goods_value=0)


def test_before_the_2023_revision_small_goods_are_fined_50000_at_least() -> None:
    act = date(2023, 8, 31)
    assert check_penalty("Order 117 art 49", "fine", 50_000, act, act, goods_value=4_000)
    with pytest.raises(PenaltyOutOfRangeError, match="50,000 to 200,000 RMB"):
        check_penalty("Order 117 art 49", "fine", 8_000, act, act, goods_value=4_000)


def test_an_act_before_the_revision_decided_after_it_takes_the_lighter_new_law() -> None:
    """Administrative Penalty Law art 37: the law of the act, unless the law of the decision is
    lighter; for goods under 10,000 yuan the 2023 text is, for others the two are the same."""
    act, decided = date(2022, 6, 1), date(2024, 3, 1)
    lighter = applicable_rule("Order 117 art 49", act, decided, goods_value=4_000)
    assert lighter.in_force_from == REGULATIONS_2023
    assert check_penalty("Order 117 art 49", "fine", 8_000, act, decided, goods_value=4_000)
    with pytest.raises(PenaltyOutOfRangeError, match="lighter than the law of 2022-06-01"):
        check_penalty("Order 117 art 49", "fine", 50_000, act, decided, goods_value=4_000)
    same = applicable_rule("Order 117 art 49", act, decided, goods_value=20_000)
    assert same.version == "Order 117 (2009)"
    assert same.refers_to.endswith("art 67")
    assert applicable_rule("Order 117 art 49", act, decided).version == "Order 117 (2009)"


@given(
    goods_value=st.one_of(st.none(), st.integers(min_value=0, max_value=50_000)),
    amount=st.integers(min_value=0, max_value=250_000),
)
def test_a_2024_fine_under_art_49_is_accepted_exactly_inside_the_range_for_its_goods(
    goods_value: int | None, amount: int
) -> None:
    if goods_value is not None and goods_value < 10_000:
        low, high = 1, 2 * goods_value
    else:
        low, high = 50_000, 200_000
    try:
        check_penalty("Order 117 art 49", "fine", amount, AFTER_2023, goods_value=goods_value)
    except PenaltyOutOfRangeError:
        assert not low <= amount <= high
    else:
        assert low <= amount <= high


def test_a_version_1_penalty_decided_reads_with_no_goods_value_and_no_law_version() -> None:
    payload = {
        "case_number": "CCC-2025-00001", "subject_credit_code": "91440300MA5FUTQ93Y",
        "basis_article": "Order 117 art 49", "penalty_type": "fine", "amount": 80_000,
        "decision_document_number": "X市监罚〔2025〕1号", "decision_document_sha256": "a" * 64,
        "decided_on": "2025-03-03",
    }  # fmt: skip
    decoded = all_contracts().decode("PenaltyDecided", 1, json.dumps(payload))
    assert isinstance(decoded, PenaltyDecided)
    assert (decoded.goods_value, decoded.law_version, decoded.amount) == (None, "", 80_000)
