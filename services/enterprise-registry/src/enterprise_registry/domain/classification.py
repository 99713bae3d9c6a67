"""The supervision class, A (best) to D (worst), that sets how closely an enterprise is inspected.

The rules are written once, in ``RULES``; this table restates them. Every rule whose condition
holds is a finding; the enterprise gets the worst class any finding names, with the reasons of
every finding of that class. When no rule holds, the enterprise is class A.

| rule | class | when |
| --- | --- | --- |
| D1 | D | credit risk rated high (SAMR credit-risk category D) |
| D2 | D | 2 or more CCC violations in the last 12 months |
| D3 | D | 2 or more failed spot checks in the last 24 months |
| D4 | D | 2 or more enforcement cases in the last 12 months |
| C1 | C | credit risk rated elevated (category C) |
| C2 | C | quality status poor |
| C3 | C | a CCC violation in the last 12 months |
| C4 | C | a failed spot check in the last 12 months |
| C5 | C | an enforcement case in the last 12 months |
| C6 | C | 2 or more CCC violations in the last 24 months |
| B1 | B | a small or micro enterprise |
| B2 | B | credit risk ordinary (category B) or not rated |
| B3 | B | quality status fair or not assessed |
| B4 | B | a violation or case in the last 24 months |
| B5 | B | a failed spot check in the last 24 months |
| B6 | B | no passed spot check in the last 24 months |
| A | A | none of the above: a large or medium enterprise with low credit risk, good quality, a
  passed spot check and a clean record for 24 months |

"The last 12 months" is the 365 days up to and including today (24 months: 730 days); an input
dated after today is not counted yet. Spot checks of every level count alike, as do quality
results reported by other departments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ccc_contracts.registry import Scale, SupervisionClass
from ccc_contracts.registry import SpotCheckLevel as ContractSpotCheckLevel

# SAMR's enterprise credit-risk categories A to D (企业信用风险分类), or not rated.
CreditRating = Literal["low_risk", "ordinary_risk", "elevated_risk", "high_risk", "unrated"]
QualityStatus = Literal["good", "fair", "poor", "unknown"]
SpotCheckLevel = ContractSpotCheckLevel  # a contract: SpotCheckResultRecorded carries it

TWELVE_MONTHS = timedelta(days=365)
TWENTY_FOUR_MONTHS = timedelta(days=730)
SEVERITY: dict[SupervisionClass, int] = {"A": 0, "B": 1, "C": 2, "D": 3}
CLEAN_RECORD = (
    "A: a large or medium enterprise with low credit risk and good quality, a passed spot check"
    " and no failed check, violation or case in the last 24 months"
)


class SpotCheckResult(BaseModel):
    """One spot check (抽查) of the enterprise's products, from any level of the hierarchy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: SpotCheckLevel
    checked_on: date
    passed: bool


class ClassificationInputs(BaseModel):
    """Everything the class depends on, as the enterprise aggregate knows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scale: Scale
    credit_rating: CreditRating = "unrated"
    quality_status: QualityStatus = "unknown"
    spot_checks: tuple[SpotCheckResult, ...] = ()
    violations_on: tuple[date, ...] = Field(default=(), description="when each was found")
    cases_on: tuple[date, ...] = Field(default=(), description="when each was opened")


@dataclass(frozen=True)
class Facts:
    """The inputs reduced to what the rules read: counts within the two windows."""

    scale: Scale
    credit_rating: CreditRating
    quality_status: QualityStatus
    violations_12: int
    violations_24: int
    cases_12: int
    cases_24: int
    failed_checks_12: int
    failed_checks_24: int
    passed_checks_24: int


@dataclass(frozen=True)
class Rule:
    """One line of the rule table: a code, the class it sets, why, and when it holds."""

    code: str
    supervision_class: SupervisionClass
    reason: str
    holds: Callable[[Facts], bool]


RULES: tuple[Rule, ...] = (
    Rule("D1", "D", "credit risk rated high", lambda f: f.credit_rating == "high_risk"),
    Rule("D2", "D", "2 or more CCC violations in 12 months", lambda f: f.violations_12 >= 2),
    Rule("D3", "D", "2 or more failed spot checks in 24 months", lambda f: f.failed_checks_24 >= 2),
    Rule("D4", "D", "2 or more enforcement cases in 12 months", lambda f: f.cases_12 >= 2),
    Rule("C1", "C", "credit risk rated elevated", lambda f: f.credit_rating == "elevated_risk"),
    Rule("C2", "C", "quality status poor", lambda f: f.quality_status == "poor"),
    Rule("C3", "C", "a CCC violation in 12 months", lambda f: f.violations_12 >= 1),
    Rule("C4", "C", "a failed spot check in 12 months", lambda f: f.failed_checks_12 >= 1),
    Rule("C5", "C", "an enforcement case in 12 months", lambda f: f.cases_12 >= 1),
    Rule("C6", "C", "2 or more CCC violations in 24 months", lambda f: f.violations_24 >= 2),
    Rule("B1", "B", "a small or micro enterprise", lambda f: f.scale in ("small", "micro")),
    Rule(
        "B2",
        "B",
        "credit risk ordinary or not rated",
        lambda f: f.credit_rating in ("ordinary_risk", "unrated"),
    ),
    Rule(
        "B3",
        "B",
        "quality status fair or not assessed",
        lambda f: f.quality_status in ("fair", "unknown"),
    ),
    Rule(
        "B4",
        "B",
        "a violation or case in 24 months",
        lambda f: f.violations_24 + f.cases_24 >= 1,
    ),
    Rule("B5", "B", "a failed spot check in 24 months", lambda f: f.failed_checks_24 >= 1),
    Rule("B6", "B", "no passed spot check in 24 months", lambda f: f.passed_checks_24 == 0),
)


def count_within(days: Iterable[date], today: date, window: timedelta) -> int:
    """How many of the days fall in the window that ends today."""
    return sum(1 for day in days if today - window < day <= today)


def facts(inputs: ClassificationInputs, today: date) -> Facts:
    """Reduce the inputs to the counts the rules read, as of today."""
    failed = [check.checked_on for check in inputs.spot_checks if not check.passed]
    passed = [check.checked_on for check in inputs.spot_checks if check.passed]
    return Facts(
        scale=inputs.scale,
        credit_rating=inputs.credit_rating,
        quality_status=inputs.quality_status,
        violations_12=count_within(inputs.violations_on, today, TWELVE_MONTHS),
        violations_24=count_within(inputs.violations_on, today, TWENTY_FOUR_MONTHS),
        cases_12=count_within(inputs.cases_on, today, TWELVE_MONTHS),
        cases_24=count_within(inputs.cases_on, today, TWENTY_FOUR_MONTHS),
        failed_checks_12=count_within(failed, today, TWELVE_MONTHS),
        failed_checks_24=count_within(failed, today, TWENTY_FOUR_MONTHS),
        passed_checks_24=count_within(passed, today, TWENTY_FOUR_MONTHS),
    )


def classify(inputs: ClassificationInputs, today: date) -> tuple[SupervisionClass, list[str]]:
    """The supervision class as of today, with the reason of every rule that set it."""
    found = [rule for rule in RULES if rule.holds(facts(inputs, today))]
    if not found:
        return "A", [CLEAN_RECORD]
    worst = max((rule.supervision_class for rule in found), key=SEVERITY.__getitem__)
    return worst, [
        f"{rule.code}: {rule.reason}" for rule in found if rule.supervision_class == worst
    ]
