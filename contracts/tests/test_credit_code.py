"""Unified social credit codes: published codes pass, any single wrong character is named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ccc_contracts.credit_code import (
    CHARACTERS,
    PROVINCES,
    REGISTRATION_AUTHORITIES,
    CreditCode,
    CreditCodeError,
    check_character,
    validate_credit_code,
)

pytestmark = pytest.mark.unit

# Codes published on the enterprises' own registration records.
PUBLISHED = {
    "91350100M000100Y43": "GB 32100-2015 sample (Fuzhou)",
    "914403001922038216": "Huawei Technologies Co., Ltd.",
    "9144030071526726XG": "Shenzhen Tencent Computer Systems Co., Ltd.",
    "91110108551385082Q": "Xiaomi Technology Co., Ltd.",
    "91440400192548256N": "Gree Electric Appliances, Inc. of Zhuhai",
    "91440606722473344C": "Midea Group Co., Ltd.",
    "91370200163562681G": "Haier Group Corporation",
    "91440300192317458F": "BYD Company Limited",
}


class Holder(BaseModel):
    credit_code: CreditCode


@pytest.mark.parametrize("code", PUBLISHED, ids=PUBLISHED.values())
def test_published_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code) == code
    assert Holder(credit_code=code).credit_code == code


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(CreditCodeError, match="check character should be '3', not 'Y'"):
        validate_credit_code("91350100M000100Y4Y")


def test_pydantic_reports_the_reason_on_the_field() -> None:
    with pytest.raises(ValidationError) as error:
        Holder(credit_code="91350100M000100Y4Y")
    assert error.value.errors()[0]["loc"] == ("credit_code",)
    assert "check character should be '3'" in str(error.value)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18 characters, not 17"),
        ("91350100m000100y43", "upper case"),
        ("B1350100M000100Y43", "registration authority code 'B'"),
        ("94350100M000100Y43", "organisation type '4'"),
        ("9199010000000000XX", "administrative division '990100'"),
        ("913501A0M000100Y43", "administrative division '3501A0'"),
        ("91350100M00010OY43", "not in the credit code set"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(CreditCodeError, match=message):
        validate_credit_code(code)


def test_check_character_wants_a_17_character_body() -> None:
    with pytest.raises(CreditCodeError, match="17 characters, not 3"):
        check_character("913")


code_characters = st.sampled_from(CHARACTERS)
bodies = st.builds(
    lambda prefix, province, county, organisation: prefix + province + county + organisation,
    st.sampled_from([a + t for a, types in REGISTRATION_AUTHORITIES.items() for t in types]),
    st.sampled_from(sorted(PROVINCES)),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.text(alphabet=CHARACTERS, min_size=9, max_size=9),
)


@given(bodies)
def test_any_body_with_its_check_character_is_valid(body: str) -> None:
    code = body + check_character(body)
    assert validate_credit_code(code) == code


@given(bodies, st.integers(min_value=0, max_value=17), code_characters)
def test_changing_any_single_character_invalidates_the_code(
    body: str, position: int, replacement: str
) -> None:
    code = body + check_character(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        with pytest.raises(CreditCodeError):
            validate_credit_code(changed)
