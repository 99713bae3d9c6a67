"""Bounded text: what every command and request body accepts, by the meaning of the field."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ccc_contracts import text
from ccc_shared.domain import Command


class RecordSomething(Command):
    """A command with a field of each kind, as the services' commands have them."""

    name: text.OrganisationName
    reason: text.Reason
    remark: text.OptionalReason = ""
    models: tuple[text.ProductModel, ...] = ()
    free: str = ""  # a field without a limit of its own: the input ceiling holds


def refusal(**fields: object) -> str:
    """The validation message of a refused command."""
    with pytest.raises(ValidationError) as refused:
        RecordSomething(**{"name": "杭州消防器材有限公司", "reason": "复查", **fields})
    return str(refused.value)


def test_text_is_stripped_of_surrounding_whitespace() -> None:
    command = RecordSomething(name="  杭州消防器材有限公司 ", reason="\n复查\n", free="  x ")
    assert (command.name, command.reason, command.free) == ("杭州消防器材有限公司", "复查", "x")


def test_a_blank_required_field_is_refused() -> None:
    assert "name\n  String should have at least 1 character" in refusal(name="   ")
    assert "reason\n  String should have at least 1 character" in refusal(reason="\n\t ")


def test_a_name_of_200_characters_is_accepted_and_201_refused() -> None:
    assert RecordSomething(name="企" * 200, reason="x").name == "企" * 200
    assert "String should have at most 200 characters" in refusal(name="企" * 201)


def test_100_kilobyte_fields_are_refused_whatever_their_kind() -> None:
    big = "x" * 100_000
    assert "reason\n  String should have at most 2000 characters" in refusal(reason=big)
    assert "models.0\n  String should have at most 200 characters" in refusal(models=(big,))
    assert "free\n  String should have at most 2000 characters" in refusal(free=big)


def test_a_nul_character_is_refused_in_every_field() -> None:
    assert "a control character (U+0000) at position 3" in refusal(name="杭州消\x00防")
    assert "U+0000" in refusal(reason="复查\x00")
    assert "U+0000" in refusal(free="a\x00")
    assert "U+0000" in refusal(models=("MFZ\x00",))


def test_line_breaks_belong_in_free_text_not_in_names() -> None:
    assert RecordSomething(name="x", reason="第一\n第二\r\n\t第三").reason == "第一\n第二\r\n\t第三"
    assert "a line break or tab (U+000A) at position 1" in refusal(name="杭\n州")


def test_an_unpaired_surrogate_is_refused() -> None:
    # pydantic refuses it before our check does: no UTF-8 encoder could write it to the store
    assert "unable to parse raw data as a unicode string" in refusal(reason="a\ud800b")
    with pytest.raises(text.TextError, match="an unpaired surrogate U\\+D800"):
        text.multi_line("a\ud800b")


def test_the_escape_character_is_refused_even_in_free_text() -> None:
    assert "U+001B" in refusal(reason="red \x1b[31m text")


@given(st.text(max_size=300))
def test_whatever_a_name_accepts_is_one_stripped_line_of_at_most_200_characters(
    candidate: str,
) -> None:
    try:
        name = RecordSomething(name=candidate, reason="x").name
    except ValidationError:
        return
    assert 1 <= len(name) <= 200
    assert name == name.strip()
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1))
def test_printable_text_within_the_limit_is_never_refused(candidate: str) -> None:
    kept = candidate.strip()
    if not kept or len(kept) > 200:
        return
    assert RecordSomething(name=candidate, reason="x").name == kept


def test_a_violation_id_made_of_the_longest_ids_fits_every_contract_that_names_it() -> None:
    from ccc_contracts.enforcement import CaseOpened
    from ccc_contracts.inspection import ViolationFound

    inspection = "I" * text.IDENTIFIER_MAX
    by_inspection = f"{inspection}/V9999"  # the 9,999th violation of the longest inspection id
    by_campaign = f"{'C' * text.IDENTIFIER_MAX}/91330100MA27XL0Y34"
    for violation_id in (by_inspection, by_campaign):
        assert len(violation_id) <= text.COMPOSITE_ID_MAX
        for model in (ViolationFound, CaseOpened):
            field = model.model_fields["violation_id"]
            limits = [m.max_length for m in field.metadata if hasattr(m, "max_length")]
            assert limits == [text.COMPOSITE_ID_MAX], model.__name__
