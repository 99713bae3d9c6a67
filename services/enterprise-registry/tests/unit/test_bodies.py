"""Given/when/then for certification bodies: registration, findings, ratings."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from registry_given import TODAY, Aggregate

from ccc_contracts.registry import CertificationBodyRegistered
from enterprise_registry.domain import bodies
from enterprise_registry.domain.bodies import (
    RateCertificationBody,
    RecordBodyFinding,
    RegisterCertificationBody,
)
from enterprise_registry.domain.body_events import BodyFindingRecorded, CertificationBodyRated

body = Aggregate(bodies.decide, bodies.evolve, TODAY)

REGISTER = RegisterCertificationBody(
    code="CQC",
    name="中国质量认证中心",
    accreditation_number="CNCA-R-2002-001",
    contact="010-1",
)
REGISTERED = CertificationBodyRegistered(
    code="CQC",
    name="中国质量认证中心",
    accreditation_number="CNCA-R-2002-001",
    contact="010-1",
    registered_on=TODAY,
)
FINDING = RecordBodyFinding(
    code="CQC",
    finding_id="f1",
    found_on=date(2026, 4, 20),
    source="patrol",
    description="证书覆盖型号与实物不符",
    severity="major",
)
FOUND = BodyFindingRecorded(**FINDING.model_dump())
RATE = RateCertificationBody(code="CQC", period="2026-Q1", rating="good", reasons=("及时处理",))
RATED = CertificationBodyRated(
    code="CQC",
    period="2026-Q1",
    rating="good",
    reasons=["及时处理"],
    previous_rating=None,
    rated_on=TODAY,
)


def test_registering_a_body_records_it() -> None:
    state = body.given().when(REGISTER).then(REGISTERED)
    assert state is not None
    assert (state.name, state.findings, state.ratings) == ("中国质量认证中心", {}, {})


def test_a_body_is_registered_once() -> None:
    body.given(REGISTERED).when(REGISTER).then_raises("already registered")


def test_an_unregistered_body_takes_no_findings_or_ratings() -> None:
    body.given().when(FINDING).then_raises("is not registered")
    body.given().when(RATE).then_raises("is not registered")


def test_a_finding_is_recorded_once_per_id() -> None:
    state = body.given(REGISTERED).when(FINDING).then(FOUND)
    assert state is not None
    assert state.findings["f1"].severity == "major"
    body.given(REGISTERED, FOUND).when(FINDING).then()


def test_a_finding_cannot_be_dated_after_today() -> None:
    later = FINDING.model_copy(update={"found_on": date(2026, 5, 2)})
    body.given(REGISTERED).when(later).then_raises("after today")


def test_rating_a_period_then_rerating_it_names_the_previous_rating() -> None:
    state = body.given(REGISTERED).when(RATE).then(RATED)
    assert state is not None
    assert state.latest_rating() == state.ratings["2026-Q1"]
    body.given(REGISTERED, RATED).when(RATE).then()  # the same rating again: nothing
    worse = RATE.model_copy(update={"rating": "unqualified", "reasons": ("多次发证不符",)})
    after = (
        body.given(REGISTERED, RATED)
        .when(worse)
        .then(
            RATED.model_copy(
                update={
                    "rating": "unqualified",
                    "reasons": ["多次发证不符"],
                    "previous_rating": "good",
                }
            )
        )
    )
    assert after is not None
    assert after.ratings["2026-Q1"].rating == "unqualified"


def test_the_latest_period_is_the_latest_rating() -> None:
    year = RATED.model_copy(update={"period": "2025", "rating": "excellent"})
    state = body.given(REGISTERED, year, RATED).state
    assert state is not None
    latest = state.latest_rating()
    assert latest is not None
    assert latest.period == "2026-Q1"


def test_a_period_that_has_not_begun_cannot_be_rated() -> None:
    future = RATE.model_copy(update={"period": "2027"})
    body.given(REGISTERED).when(future).then_raises("has not begun")


@pytest.mark.parametrize("period", ["26", "2026-Q5", "2026-13", "2026-H3", "last year"])
def test_a_period_is_a_year_half_quarter_or_month(period: str) -> None:
    with pytest.raises(ValidationError):
        RateCertificationBody(code="CQC", period=period, rating="good", reasons=("x",))


def test_a_rating_needs_reasons_and_a_code_is_a_token() -> None:
    with pytest.raises(ValidationError):
        RateCertificationBody(code="CQC", period="2026", rating="good", reasons=())
    with pytest.raises(ValidationError):
        RegisterCertificationBody(code="C Q.C", name="x", accreditation_number="y")
