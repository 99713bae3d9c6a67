"""Enterprise aggregate, given/when/then: registration, profile, custodian, and reclassification
emitted only when an input (or time) changes the class."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from registry_given import TODAY, enterprise

from ccc_contracts.registry import (
    EnterpriseClassified,
    EnterpriseProfileUpdated,
    EnterpriseRegistered,
    SpotCheckResultRecorded,
)
from enterprise_registry.domain import enterprises
from enterprise_registry.domain.classification import CLEAN_RECORD
from enterprise_registry.domain.enterprise_commands import (
    AssignCustodian,
    ClassifyEnterprise,
    EnterpriseCommand,
    NoteCase,
    NoteViolation,
    RecordCreditRating,
    RecordQualityStatus,
    RecordSpotCheckResult,
    RegisterEnterprise,
    UpdateEnterpriseProfile,
)
from enterprise_registry.domain.enterprise_events import (
    CaseNoted,
    CreditRatingRecorded,
    CustodianAssigned,
    QualityStatusRecorded,
    ViolationNoted,
)

pytestmark = pytest.mark.unit
given = enterprise.given

CODE = "91440400192548256N"
REGISTER = RegisterEnterprise(
    credit_code=CODE,
    name="珠海格力电器股份有限公司",
    address="珠海市前山金鸡西路",
    region="前山街道",
    scale="large",
    legal_representative="董明珠",
    contact="0756-8614883",
    in_jurisdiction=True,
    product_categories=("0701",),
)
REGISTERED = EnterpriseRegistered(
    credit_code=CODE,
    name="珠海格力电器股份有限公司",
    address="珠海市前山金鸡西路",
    region="前山街道",
    scale="large",
    legal_representative="董明珠",
    contact="0756-8614883",
    in_jurisdiction=True,
    key_enterprise=False,
    product_categories=["0701"],
    custodian_id=None,
    registered_on=date(2026, 1, 5),
)


def history(
    *commands: EnterpriseCommand, today: date = date(2026, 1, 5), before: list[Any] | None = None
) -> list[Any]:
    """Earlier events, then those these commands produce one after another (a scenario's past)."""
    events: list[Any] = list(before or [])
    for command in commands:
        events += enterprises.decide(enterprises.replay(events), command, today)
    return events


EARLIER = date(2026, 1, 2)
CLASS_A = history(
    REGISTER,
    RecordCreditRating(
        credit_code=CODE, rating="low_risk", source="SAMR", rated_on=date(2026, 1, 2)
    ),
    RecordQualityStatus(
        credit_code=CODE, status="good", source="bureau", assessed_on=date(2026, 1, 2)
    ),
    RecordSpotCheckResult(
        credit_code=CODE,
        spot_check_id="SC-1",
        level="provincial",
        checked_on=date(2026, 1, 3),
        product_category="0701",
        passed=True,
    ),
)


def classified(old: Any, new: Any, *reasons: str, on: date = TODAY) -> EnterpriseClassified:
    return EnterpriseClassified(
        credit_code=CODE, old_class=old, new_class=new, reasons=list(reasons), classified_on=on
    )


def violation(violation_id: str, found_on: date) -> NoteViolation:
    return NoteViolation(credit_code=CODE, violation_id=violation_id, found_on=found_on)


def test_a_registered_enterprise_gets_its_first_class() -> None:
    state = (
        given()
        .when(REGISTER, today=date(2026, 1, 5))
        .then(
            REGISTERED,
            classified(
                None,
                "B",
                "B2: credit risk ordinary or not rated",
                "B3: quality status fair or not assessed",
                "B6: no passed spot check in 24 months",
                on=date(2026, 1, 5),
            ),
        )
    )
    assert state is not None
    assert state.supervision_class == "B"


def test_the_baseline_enterprise_is_class_a() -> None:
    assert CLASS_A[-1] == classified("B", "A", CLEAN_RECORD, on=date(2026, 1, 5))


def test_an_enterprise_is_registered_once() -> None:
    given(REGISTERED).when(REGISTER).then_raises(f"enterprise {CODE}: is already registered")


def test_an_unregistered_enterprise_takes_no_command() -> None:
    given().when(ClassifyEnterprise(credit_code=CODE)).then_raises("is not registered")


def test_a_wrong_credit_code_never_becomes_a_command() -> None:
    with pytest.raises(ValidationError, match="check character should be 'N', not 'X'"):
        ClassifyEnterprise(credit_code=CODE[:17] + "X")


def test_a_profile_update_records_only_what_changed() -> None:
    command = UpdateEnterpriseProfile(
        credit_code=CODE,
        name="珠海格力电器股份有限公司",
        contact="0756-0000000",
        key_enterprise=True,
    )
    state = (
        given(*CLASS_A)
        .when(command)
        .then(
            EnterpriseProfileUpdated(
                credit_code=CODE, contact="0756-0000000", key_enterprise=True, updated_on=TODAY
            )
        )
    )
    assert state is not None
    assert (state.contact, state.key_enterprise, state.supervision_class) == (
        "0756-0000000",
        True,
        "A",
    )


def test_a_profile_update_that_changes_nothing_records_nothing() -> None:
    given(*CLASS_A).when(UpdateEnterpriseProfile(credit_code=CODE, scale="large")).then()


def test_a_smaller_scale_moves_a_class_a_enterprise_to_b() -> None:
    given(*CLASS_A).when(UpdateEnterpriseProfile(credit_code=CODE, scale="small")).then(
        EnterpriseProfileUpdated(credit_code=CODE, scale="small", updated_on=TODAY),
        classified("A", "B", "B1: a small or micro enterprise"),
    )


def test_a_custodian_is_assigned_and_reassigned() -> None:
    first = CustodianAssigned(
        credit_code=CODE, custodian_id="insp-07", previous_custodian_id=None, assigned_on=TODAY
    )
    given(*CLASS_A).when(AssignCustodian(credit_code=CODE, custodian_id="insp-07")).then(first)
    given(*CLASS_A, first).when(AssignCustodian(credit_code=CODE, custodian_id="insp-07")).then()
    given(*CLASS_A, first).when(AssignCustodian(credit_code=CODE, custodian_id="insp-09")).then(
        CustodianAssigned(
            credit_code=CODE,
            custodian_id="insp-09",
            previous_custodian_id="insp-07",
            assigned_on=TODAY,
        )
    )


# --- each kind of input moves the class through the rule table ---


def test_a_high_credit_risk_rating_makes_it_d() -> None:
    command = RecordCreditRating(
        credit_code=CODE, rating="high_risk", source="SAMR", rated_on=TODAY
    )
    given(*CLASS_A).when(command).then(
        CreditRatingRecorded(credit_code=CODE, rating="high_risk", source="SAMR", rated_on=TODAY),
        classified("A", "D", "D1: credit risk rated high"),
    )


def test_a_poor_quality_status_makes_it_c() -> None:
    command = RecordQualityStatus(
        credit_code=CODE, status="poor", source="bureau", assessed_on=TODAY
    )
    given(*CLASS_A).when(command).then(
        QualityStatusRecorded(credit_code=CODE, status="poor", source="bureau", assessed_on=TODAY),
        classified("A", "C", "C2: quality status poor"),
    )


def test_a_failed_spot_check_makes_it_c() -> None:
    command = RecordSpotCheckResult(
        credit_code=CODE,
        spot_check_id="SC-2",
        level="national",
        checked_on=date(2026, 4, 20),
        product_category="0701",
        passed=False,
        defects=("输入功率超标",),
    )
    given(*CLASS_A).when(command).then(
        SpotCheckResultRecorded(
            credit_code=CODE,
            spot_check_id="SC-2",
            level="national",
            checked_on=date(2026, 4, 20),
            product_category="0701",
            passed=False,
            defects=["输入功率超标"],
        ),
        classified("A", "C", "C4: a failed spot check in 12 months"),
    )


def test_a_violation_makes_it_c_and_a_second_one_d() -> None:
    first = ViolationNoted(credit_code=CODE, violation_id="V-1", found_on=date(2026, 3, 1))
    given(*CLASS_A).when(violation("V-1", date(2026, 3, 1))).then(
        first, classified("A", "C", "C3: a CCC violation in 12 months")
    )
    with_one = [*CLASS_A, first, classified("A", "C", "C3: a CCC violation in 12 months")]
    given(*with_one).when(violation("V-2", TODAY)).then(
        ViolationNoted(credit_code=CODE, violation_id="V-2", found_on=TODAY),
        classified("C", "D", "D2: 2 or more CCC violations in 12 months"),
    )


def test_a_redelivered_violation_counts_once() -> None:
    events = history(violation("V-1", date(2026, 3, 1)), today=TODAY, before=CLASS_A)
    given(*events).when(violation("V-1", date(2026, 3, 1))).then()


def test_a_case_makes_it_c() -> None:
    command = NoteCase(credit_code=CODE, case_number="县市监罚〔2026〕12号", opened_on=TODAY)
    given(*CLASS_A).when(command).then(
        CaseNoted(credit_code=CODE, case_number="县市监罚〔2026〕12号", opened_on=TODAY),
        classified("A", "C", "C5: an enforcement case in 12 months"),
    )


def test_an_input_that_keeps_the_class_emits_no_classification() -> None:
    events = history(violation("V-1", date(2026, 3, 1)), today=TODAY, before=CLASS_A)
    command = RecordQualityStatus(
        credit_code=CODE, status="fair", source="bureau", assessed_on=TODAY
    )
    given(*events).when(command).then(
        QualityStatusRecorded(credit_code=CODE, status="fair", source="bureau", assessed_on=TODAY)
    )


def test_an_input_dated_after_today_is_refused() -> None:
    given(*CLASS_A).when(violation("V-9", date(2026, 5, 2))).then_raises(
        "an input dated 2026-05-02 is after today (2026-05-01)"
    )


def test_reclassification_lets_an_old_violation_age_out() -> None:
    events = history(violation("V-1", date(2026, 3, 1)), today=TODAY, before=CLASS_A)
    later = date(2027, 3, 1)
    given(*events).when(ClassifyEnterprise(credit_code=CODE), today=later).then(
        classified("C", "B", "B4: a violation or case in 24 months", on=later)
    )


def test_reclassification_without_a_change_emits_nothing() -> None:
    given(*CLASS_A).when(ClassifyEnterprise(credit_code=CODE)).then()
