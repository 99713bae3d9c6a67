"""Given/when/then for campaigns; hypothesis: after the deadline, exactly the producers still
making uncertified products are raised, each once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import settings
from hypothesis import strategies as st

from ccc_contracts.credit_code import check_character
from ccc_contracts.inspection import (
    CampaignLaunched,
    CampaignProgressRecorded,
    CampaignStep,
    ViolationFound,
)
from inspection.domain import campaigns
from inspection.domain.base import DomainError
from inspection.domain.campaigns import (
    CampaignCommand,
    CampaignEvent,
    LaunchCampaign,
    RaiseUncertifiedProducers,
    RecordCampaignStep,
    RecordCertification,
    SurveyEnterprise,
)

pytestmark = pytest.mark.unit

ID = "CAM-FIRE-2026"
TODAY = date(2026, 3, 1)
DEADLINE = date(2026, 12, 31)
AFTER = date(2027, 1, 1)
PRODUCER = "914403001922038216"
OTHER = "91330100MA27XL0Y34"
CATEGORIES = ("1801", "1812")

LAUNCHED = CampaignLaunched(
    campaign_id=ID,
    title="七类消防产品3C认证",
    product_categories=list(CATEGORIES),
    regions=["西湖区"],
    deadline=DEADLINE,
    launched_on=TODAY,
)


def step(
    code: str, name: CampaignStep, categories: tuple[str, ...] = (), notes: str = ""
) -> CampaignProgressRecorded:
    return CampaignProgressRecorded(
        campaign_id=ID,
        enterprise_credit_code=code,
        step=name,
        product_categories=list(categories),
        recorded_on=TODAY,
        notes=notes,
    )


SURVEYED = step(PRODUCER, "surveyed", CATEGORIES)


def decide(history: list[CampaignEvent], command: CampaignCommand, today: date = TODAY) -> list:
    return campaigns.decide(campaigns.replay(history), command, today)


def test_a_campaign_is_launched_with_its_categories_regions_and_deadline() -> None:
    command = LaunchCampaign(
        campaign_id=ID,
        title=LAUNCHED.title,
        product_categories=("1812", "1801", "1812"),
        regions=("西湖区",),
        deadline=DEADLINE,
    )
    assert decide([], command) == [LAUNCHED]


def test_a_campaign_is_launched_once_and_not_with_a_past_deadline() -> None:
    command = LaunchCampaign(
        campaign_id=ID, title="t", product_categories=("1801",), deadline=DEADLINE
    )
    with pytest.raises(DomainError, match="already launched"):
        decide([LAUNCHED], command)
    with pytest.raises(DomainError, match="is past"):
        decide([], command, today=AFTER)


def survey(code: str = PRODUCER, *categories: str, **facts: object) -> SurveyEnterprise:
    return SurveyEnterprise(
        campaign_id=ID, credit_code=code, product_categories=categories or CATEGORIES, **facts
    )


def test_a_producer_found_by_the_survey_enters_the_campaign() -> None:
    assert decide([LAUNCHED], survey(region="西湖区")) == [SURVEYED]


def test_a_producer_already_certified_for_a_category_is_certified_for_it_at_once() -> None:
    events = decide([LAUNCHED], survey(certified_categories=("1812", "0701")))
    assert events == [SURVEYED, step(PRODUCER, "certified", ("1812",), "found certified")]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (survey(OTHER, "0701"), "categories 0701 are not in the campaign"),
        (survey(OTHER, region="上城区"), "outside its regions"),
        (
            RecordCampaignStep(campaign_id=ID, credit_code=OTHER, step="informed"),
            "has not been surveyed",
        ),
        (RaiseUncertifiedProducers(campaign_id=ID), "has not passed"),
    ],
)
def test_steps_out_of_scope_or_order_are_refused(command: CampaignCommand, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        decide([LAUNCHED, SURVEYED], command, today=DEADLINE)


def test_a_survey_before_launch_is_refused() -> None:
    with pytest.raises(DomainError, match="is not launched"):
        decide([], survey())


def test_a_producer_is_informed_then_applies_each_step_once() -> None:
    notice = "告知书已送达"
    informed = RecordCampaignStep(
        campaign_id=ID, credit_code=PRODUCER, step="informed", notes=notice
    )
    assert decide([LAUNCHED, SURVEYED], informed) == [step(PRODUCER, "informed", notes=notice)]
    with pytest.raises(DomainError, match="already informed"):
        decide([LAUNCHED, SURVEYED, step(PRODUCER, "informed")], informed)


def certification(category: str, code: str = PRODUCER) -> RecordCertification:
    return RecordCertification(
        campaign_id=ID, credit_code=code, product_category=category, certificate_number="C-1"
    )


def test_a_certificate_for_one_of_its_categories_certifies_it_once() -> None:
    expected = step(PRODUCER, "certified", ("1801",), "certificate C-1")
    assert decide([LAUNCHED, SURVEYED], certification("1801")) == [expected]
    assert decide([LAUNCHED, SURVEYED, expected], certification("1801")) == []
    assert decide([LAUNCHED, SURVEYED], certification("0701")) == []


def test_after_the_deadline_a_producer_still_uncertified_is_raised_once() -> None:
    history: list[CampaignEvent] = [LAUNCHED, SURVEYED, step(PRODUCER, "certified", ("1801",))]
    (found,) = decide(history, RaiseUncertifiedProducers(campaign_id=ID), today=AFTER)
    assert isinstance(found, ViolationFound)
    assert (found.violation_id, found.kind) == (f"{ID}/{PRODUCER}", "no_certificate")
    assert found.article == "Order 117 art 2, art 49"
    assert "still producing without a certificate: 1812" in found.evidence
    assert decide([*history, found], RaiseUncertifiedProducers(campaign_id=ID), today=AFTER) == []


def test_a_producer_certified_for_everything_or_stopped_is_not_raised() -> None:
    history: list[CampaignEvent] = [
        LAUNCHED,
        SURVEYED,
        step(PRODUCER, "certified", CATEGORIES),
        step(OTHER, "surveyed", ("1801",)),
        step(OTHER, "stopped_production"),
    ]
    assert decide(history, RaiseUncertifiedProducers(campaign_id=ID), today=AFTER) == []


@st.composite
def campaign_histories(draw: st.DrawFn) -> tuple[list[CampaignEvent], dict[str, bool]]:
    """A campaign, its random producers and steps, and whether each should be raised."""
    history: list[CampaignEvent] = [LAUNCHED]
    expected: dict[str, bool] = {}
    for number in range(draw(st.integers(min_value=0, max_value=6))):
        code = with_check_character(f"91330100MA{number:07d}")
        makes = tuple(draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True)))
        history.append(step(code, "surveyed", makes))
        certified = set(draw(st.lists(st.sampled_from(makes), unique=True)))
        for category in certified:
            history.append(step(code, "certified", (category,)))
        stopped = draw(st.booleans())
        if stopped:
            history.append(step(code, "stopped_production"))
        expected[code] = not stopped and certified != set(makes)
    return history, expected


@settings(max_examples=200, deadline=None)
@hypothesis_given(campaign_histories(), st.integers(min_value=-3, max_value=3))
def test_exactly_the_producers_still_uncertified_are_raised_once_after_the_deadline(
    drawn: tuple[list[CampaignEvent], dict[str, bool]], days_after: int
) -> None:
    history, expected = drawn
    today = DEADLINE + timedelta(days=days_after)
    command = RaiseUncertifiedProducers(campaign_id=ID)
    if days_after <= 0:
        with pytest.raises(DomainError):
            decide(history, command, today)
        return
    raised = decide(history, command, today)
    assert {v.enterprise_credit_code for v in raised} == {c for c, bad in expected.items() if bad}
    assert decide([*history, *raised], command, today) == []


def with_check_character(body: str) -> str:
    """A credit code from its first 17 characters (GB 32100 check character appended)."""
    return body + check_character(body)
