"""Random inputs to an enterprise: its class always follows the rule table, a classification
event always changes the class, an input is refused exactly when it is dated after the day, the
same input twice changes nothing the second time, and replaying the events rebuilds the live
state."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccc_contracts.registry import EnterpriseClassified
from enterprise_registry.domain import enterprises
from enterprise_registry.domain.base import DomainError
from enterprise_registry.domain.classification import classify
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

pytestmark = pytest.mark.unit

CODE = "91110108551385082Q"
START = date(2024, 1, 1)
ids = st.sampled_from(["1", "2", "3", "4", "5"])
ages = st.integers(min_value=-3, max_value=800)  # days before today; negative: in the future


# The date each outside input carries, written out again independently of the code.
INPUT_DATE: dict[type[EnterpriseCommand], str] = {
    RecordCreditRating: "rated_on",
    RecordQualityStatus: "assessed_on",
    RecordSpotCheckResult: "checked_on",
    NoteViolation: "found_on",
    NoteCase: "opened_on",
}


def dated_after(command: EnterpriseCommand, today: date) -> bool:
    """Whether the command is an outside input dated after ``today`` (which must be refused)."""
    field = INPUT_DATE.get(type(command))
    return field is not None and getattr(command, field) > today


def dated(age: int, today: date) -> date:
    return today - timedelta(days=age)


def commands(today: date) -> st.SearchStrategy[EnterpriseCommand]:
    """Any command an enterprise may receive on this day (some of them refused)."""
    on = ages.map(lambda age: dated(age, today))
    code = st.just(CODE)
    return st.one_of(
        st.builds(
            UpdateEnterpriseProfile,
            credit_code=code,
            scale=st.sampled_from(["large", "medium", "small", "micro"]),
        ),
        st.builds(AssignCustodian, credit_code=code, custodian_id=ids),
        st.builds(
            RecordCreditRating,
            credit_code=code,
            rating=st.sampled_from(["low_risk", "ordinary_risk", "elevated_risk", "high_risk"]),
            source=st.just("SAMR"),
            rated_on=on,
        ),
        st.builds(
            RecordQualityStatus,
            credit_code=code,
            status=st.sampled_from(["good", "fair", "poor", "unknown"]),
            source=st.just("bureau"),
            assessed_on=on,
        ),
        st.builds(
            RecordSpotCheckResult,
            credit_code=code,
            spot_check_id=ids,
            level=st.sampled_from(["national", "county"]),
            checked_on=on,
            product_category=st.just("0701"),
            passed=st.booleans(),
        ),
        st.builds(NoteViolation, credit_code=code, violation_id=ids, found_on=on),
        st.builds(NoteCase, credit_code=code, case_number=ids, opened_on=on),
        st.builds(ClassifyEnterprise, credit_code=code),
    )


@settings(max_examples=100, deadline=None)
@given(st.data(), st.lists(st.integers(min_value=0, max_value=200), max_size=20))
def test_the_class_always_follows_the_rule_table(data: Any, pauses: list[int]) -> None:
    register = RegisterEnterprise(
        credit_code=CODE,
        name="小米科技有限责任公司",
        address="北京市海淀区",
        region="海淀",
        scale="large",
        legal_representative="雷军",
        contact="010-00000000",
        in_jurisdiction=True,
    )
    history: list[Any] = enterprises.decide(None, register, START)
    state = enterprises.replay(history)
    assert state is not None
    today = START
    for pause in pauses:
        today += timedelta(days=pause)
        command = data.draw(commands(today))
        try:
            events = enterprises.decide(state, command, today)
        except DomainError:
            assert dated_after(command, today), command  # the only refusal of a registered one
            continue
        assert not dated_after(command, today), command
        for event in events:
            if isinstance(event, EnterpriseClassified):
                assert event.old_class == state.supervision_class != event.new_class
            state = enterprises.evolve(state, event)
        if events:
            assert state.supervision_class == classify(state.classification_inputs(), today)[0]
        history += events
        assert enterprises.decide(state, command, today) == []  # the same input again: no news
        assert enterprises.replay(history) == state
