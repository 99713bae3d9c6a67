"""The A-D rule table: each rule sets its class with its reason; the worst class wins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from enterprise_registry.domain.classification import (
    CLEAN_RECORD,
    RULES,
    ClassificationInputs,
    SpotCheckResult,
    classify,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 1)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def check(days: int, passed: bool) -> SpotCheckResult:
    return SpotCheckResult(level="provincial", checked_on=days_ago(days), passed=passed)


PASSED_RECENTLY = check(30, passed=True)


def inputs(**changes: Any) -> ClassificationInputs:
    """A class-A enterprise, with the given inputs changed."""
    clean: dict[str, Any] = {
        "scale": "large",
        "credit_rating": "low_risk",
        "quality_status": "good",
        "spot_checks": (PASSED_RECENTLY,),
    }
    return ClassificationInputs(**(clean | changes))


# One case per rule: inputs that break exactly the condition the rule names.
CASES: dict[str, ClassificationInputs] = {
    "D1": inputs(credit_rating="high_risk"),
    "D2": inputs(violations_on=(days_ago(10), days_ago(300))),
    "D3": inputs(spot_checks=(PASSED_RECENTLY, check(500, False), check(700, False))),
    "D4": inputs(cases_on=(days_ago(5), days_ago(200))),
    "C1": inputs(credit_rating="elevated_risk"),
    "C2": inputs(quality_status="poor"),
    "C3": inputs(violations_on=(days_ago(100),)),
    "C4": inputs(spot_checks=(PASSED_RECENTLY, check(200, False))),
    "C5": inputs(cases_on=(days_ago(100),)),
    "C6": inputs(violations_on=(days_ago(400), days_ago(700))),
    "B1": inputs(scale="micro"),
    "B2": inputs(credit_rating="unrated"),
    "B3": inputs(quality_status="fair"),
    "B4": inputs(cases_on=(days_ago(500),)),
    "B5": inputs(spot_checks=(PASSED_RECENTLY, check(400, False))),
    "B6": inputs(spot_checks=(check(800, True),)),
}


def test_every_rule_in_the_table_has_a_case() -> None:
    assert set(CASES) == {rule.code for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_each_rule_sets_its_class_with_its_reason(rule: Any) -> None:
    supervision_class, reasons = classify(CASES[rule.code], TODAY)
    assert supervision_class == rule.supervision_class
    assert f"{rule.code}: {rule.reason}" in reasons


def test_a_clean_large_enterprise_is_class_a() -> None:
    assert classify(inputs(), TODAY) == ("A", [CLEAN_RECORD])


def test_the_worst_class_wins_and_only_its_reasons_are_given() -> None:
    worst = inputs(scale="small", quality_status="poor", credit_rating="high_risk")
    assert classify(worst, TODAY) == ("D", ["D1: credit risk rated high"])


def test_every_reason_of_the_winning_class_is_given() -> None:
    _, reasons = classify(inputs(scale="small", quality_status="fair"), TODAY)
    assert reasons == ["B1: a small or micro enterprise", "B3: quality status fair or not assessed"]


@pytest.mark.parametrize(
    ("found_days_ago", "expected"),
    [(0, "C"), (364, "C"), (365, "B"), (729, "B"), (730, "A"), (-1, "A")],
)
def test_the_twelve_and_twenty_four_month_windows_end_today(
    found_days_ago: int, expected: str
) -> None:
    result, _ = classify(inputs(violations_on=(days_ago(found_days_ago),)), TODAY)
    assert result == expected


def test_a_new_enterprise_with_nothing_known_is_class_b() -> None:
    result, reasons = classify(ClassificationInputs(scale="large"), TODAY)
    assert result == "B"
    assert [reason[:2] for reason in reasons] == ["B2", "B3", "B6"]
