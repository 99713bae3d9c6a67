"""The violations table, row by row: each case problem's articles accepted, any other refused,
art 55 only after a failed rectification; and the decision document's number and upload."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_given import (
    ASSIGNED,
    DOCUMENT_HASH,
    INVESTIGATING,
    LATER,
    NOTIFIED,
    NUMBER,
    ORDERED,
    REGISTERED,
    TODAY,
    S,
    given,
    opened,
)
from hypothesis import given as for_all
from hypothesis import strategies as st

from ccc_shared.contracts.enforcement import CaseProblem, PenaltyDecided, PenaltyType
from enforcement.domain import case_commands, case_events
from enforcement.domain.case_events import CaseEvent
from enforcement.domain.penalties import (
    PENALTY_TABLE,
    PROBLEM_ARTICLES,
    PenaltyArticleMismatchError,
    check_article_fits,
    rule_for,
)

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}
FAILED = case_events.RectificationVerified(
    passed=False, verified_on=LATER, escalated_to="section_head", **S
)
PASSED = case_events.RectificationVerified(passed=True, verified_on=LATER, **S)


def notified(problem: CaseProblem, *measures: CaseEvent) -> tuple[CaseEvent, ...]:
    """A case about ``problem``, registered, investigated, the party notified."""
    return (opened(problem=problem), ASSIGNED, REGISTERED, INVESTIGATING, *measures, NOTIFIED)


def penalty(
    article: str, amount: int, kind: PenaltyType = "fine", **facts: object
) -> case_commands.DecidePenalty:
    """A penalty decision under ``article`` whose document was uploaded (unless ``facts`` say)."""
    fields: dict[str, object] = {"document_uploaded": True, **facts}
    return case_commands.DecidePenalty(
        basis_article=article,
        penalty_type=kind,
        amount=amount,
        decision_document_number="X市监罚〔2025〕7号",
        decision_document_sha256=DOCUMENT_HASH,
        **N,
        **fields,  # type: ignore[arg-type]
    )


# The version each article is decided under in 2025, written out: arts 49 and 51 punish under
# the Regulations' art 66 as revised in 2023, the others under Order 117 as amended in 2022.
LAW_VERSION = {
    "Order 117 art 49": "Order 117 (2022 amendment), Regulations (2023 revision)",
    "Order 117 art 51": "Order 117 (2022 amendment), Regulations (2023 revision)",
}


def decided(article: str, amount: int, kind: PenaltyType = "fine") -> PenaltyDecided:
    return PenaltyDecided(
        basis_article=article,
        penalty_type=kind,
        amount=amount,
        law_version=LAW_VERSION.get(article, "Order 117 (2022 amendment)"),
        decision_document_number="X市监罚〔2025〕7号",
        decision_document_sha256=DOCUMENT_HASH,
        decided_on=TODAY,
        **S,
    )


# (case problem, article, fine): each row of the table, accepted.
ACCEPTED = [
    ("no_certificate", "Order 117 art 49", 80_000),
    ("certificate_invalid", "Order 117 art 51", 50_000),
    ("certificate_forged", "Order 117 art 53", 30_000),
    ("mark_misuse", "Order 117 art 53 para 2", 10_000),
    ("product_mismatch", "Order 117 art 54", 30_000),
]


@pytest.mark.parametrize(("problem", "article", "amount"), ACCEPTED)
def test_a_penalty_under_an_article_that_punishes_the_problem_is_decided(
    problem: CaseProblem, article: str, amount: int
) -> None:
    state = given(*notified(problem)).when(penalty(article, amount)).then(decided(article, amount))
    assert state.status == "decided"


# (case problem, article, fine, the articles the refusal names)
REFUSED = [
    ("certificate_invalid", "Order 117 art 49", 80_000, "Order 117 art 51"),
    ("no_certificate", "Order 117 art 51", 80_000, "Order 117 art 49"),
    ("certificate_forged", "Order 117 art 49", 80_000, "Order 117 art 53"),
    ("mark_misuse", "Order 117 art 49", 80_000, "Order 117 art 53 para 2, Order 117 art 55"),
    ("product_mismatch", "Order 117 art 55", 10_000, "Order 117 art 54"),
    ("no_certificate", "Order 117 art 53", 30_000, "Order 117 art 49"),
    ("external", "Order 117 art 49", 80_000, "none here (refer it to the bureau responsible)"),
]


@pytest.mark.parametrize(("problem", "article", "amount", "allowed"), REFUSED)
def test_a_penalty_under_an_article_that_does_not_punish_the_problem_is_refused(
    problem: CaseProblem, article: str, amount: int, allowed: str
) -> None:
    given(*notified(problem)).when(penalty(article, amount)).then_raises(
        f"{article} does not punish {problem}; the articles for {problem}: {allowed}"
    )


def test_art_55_fines_mark_misuse_only_after_a_rectification_deadline_was_missed() -> None:
    art_55 = penalty("Order 117 art 55", 20_000)
    never_ordered = notified("mark_misuse")
    given(*never_ordered).when(art_55).then_raises("fines only a failure to correct")
    corrected = notified("mark_misuse", ORDERED, PASSED)
    given(*corrected).when(art_55).then_raises("fines only a failure to correct")
    missed = notified("mark_misuse", ORDERED, FAILED)
    given(*missed).when(art_55).then(decided("Order 117 art 55", 20_000))
    given(*missed).when(penalty("Order 117 art 55", 20_001)).then_raises("1 to 20,000 RMB")


def test_every_case_problem_has_a_row_in_the_table() -> None:
    problems = {"no_certificate", "certificate_invalid", "certificate_forged", "mark_misuse"}
    problems |= {"product_mismatch", "external"}
    assert set(PROBLEM_ARTICLES) == problems


def test_a_decision_whose_document_was_never_uploaded_is_refused() -> None:
    never_uploaded = penalty("Order 117 art 49", 80_000, document_uploaded=False)
    given(*notified("no_certificate")).when(never_uploaded).then_raises(
        f"no decision document {DOCUMENT_HASH} was uploaded; upload it (POST /documents) first"
    )


def test_a_decision_number_another_case_holds_is_refused() -> None:
    taken = penalty("Order 117 art 49", 80_000, number_used_by="CCC-2025-00009")
    given(*notified("no_certificate")).when(taken).then_raises(
        "decision number X市监罚〔2025〕7号 is already case CCC-2025-00009's;"
        " a decision number is unique in the bureau"
    )


def test_one_decision_document_may_carry_two_penalty_types_of_the_same_case() -> None:
    history = (*notified("no_certificate"), decided("Order 117 art 49", 80_000))
    confiscation = penalty(
        "Order 117 art 49", 12_000, "confiscation_of_illegal_gains", number_used_by=NUMBER
    )
    given(*history).when(confiscation).then(
        decided("Order 117 art 49", 12_000, "confiscation_of_illegal_gains")
    )


ARTICLES = sorted({rule.article for rule in PENALTY_TABLE})


@for_all(
    problem=st.sampled_from(sorted(PROBLEM_ARTICLES)),
    article=st.sampled_from(ARTICLES),
    rectification_missed=st.booleans(),
)
def test_no_penalty_is_accepted_under_an_article_outside_its_problems_row(
    problem: CaseProblem, article: str, rectification_missed: bool
) -> None:
    rule = rule_for(article, TODAY)
    try:
        check_article_fits(problem, rule, rectification_missed)
    except PenaltyArticleMismatchError:
        assert article not in PROBLEM_ARTICLES[problem] or (
            rule.precondition == "rectification_missed" and not rectification_missed
        )
        return
    assert article in PROBLEM_ARTICLES[problem]
    assert rectification_missed or rule.precondition == "none"


def test_small_goods_are_fined_at_most_twice_their_value_and_the_value_is_recorded() -> None:
    """Regulations art 66 (2023): goods worth under 10,000 yuan, a fine of at most twice it."""
    case = notified("no_certificate")
    given(*case).when(penalty("Order 117 art 49", 50_000, goods_value=4_000)).then_raises(
        "outside the allowed 1 to 8,000 RMB"
    )
    expected = decided("Order 117 art 49", 8_000).model_copy(update={"goods_value": 4_000})
    given(*case).when(penalty("Order 117 art 49", 8_000, goods_value=4_000)).then(expected)


def test_an_act_of_june_2023_decided_in_2025_takes_the_lighter_revision_for_small_goods() -> None:
    """Administrative Penalty Law art 37: the law of the act (June 2023, within the two years of
    art 36: at least 50,000) unless the law of the decision is lighter (from September 2023: at
    most twice the value of goods worth under 10,000)."""
    registered = REGISTERED.model_copy(update={"violation_on": date(2023, 6, 1)})
    case = (opened(), ASSIGNED, registered, INVESTIGATING, NOTIFIED)
    given(*case).when(penalty("Order 117 art 49", 50_000, goods_value=4_000)).then_raises(
        "lighter than the law of 2023-06-01: art 37"
    )
    given(*case).when(penalty("Order 117 art 49", 8_000, goods_value=4_000)).then(
        decided("Order 117 art 49", 8_000).model_copy(update={"goods_value": 4_000})
    )
    old_law = decided("Order 117 art 49", 50_000).model_copy(
        update={"goods_value": 20_000, "law_version": "Order 117 (2022 amendment)"}
    )
    given(*case).when(penalty("Order 117 art 49", 50_000, goods_value=20_000)).then(old_law)
