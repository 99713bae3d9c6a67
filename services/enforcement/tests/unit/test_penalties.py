"""Penalty ranges per article: inside, at the bounds, outside; and the version in force."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcement.domain.penalties import (
    AMENDED_2022,
    PENALTY_TABLE,
    PenaltyOutOfRangeError,
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
    for day in (date(2010, 1, 1), AMENDED_2022, date(2030, 1, 1)):
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
