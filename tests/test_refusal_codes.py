"""Every refusal of the bureau's rules names its rule by a stable code, and the console can say
each code in Chinese and in English."""

from __future__ import annotations

import re

import pytest

from ccc_shared.testing.refusal_codes import ROOT, all_codes, markdown, refusals
from console.messages import CATALOGUE, problem_key

pytestmark = pytest.mark.unit


def test_every_rule_refusal_is_raised_with_a_literal_code() -> None:
    found = refusals()
    without = [f"{r.path}:{r.line}" for r in found if r.code is None]
    assert len(found) > 100  # the walk found the services' refusals
    assert without == [], "DomainError raised without a literal code= at " + ", ".join(without)


def test_codes_are_dotted_and_lower_case() -> None:
    shape = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
    assert sorted(code for code in all_codes() if not shape.match(code)) == []


def test_the_list_of_codes_in_the_docs_is_current() -> None:
    listed = (ROOT / "docs" / "refusals.md").read_text(encoding="utf-8")
    regenerate = "python -m ccc_shared.testing.refusal_codes > docs/refusals.md"
    assert listed == markdown(), f"run: {regenerate}"


def test_the_console_says_every_code_in_chinese_and_english() -> None:
    missing = sorted(code for code in all_codes() if problem_key(code) not in CATALOGUE)
    assert missing == []
    said = {code: CATALOGUE[problem_key(code)] for code in all_codes()}
    assert sorted(code for code, (zh, en) in said.items() if not zh or not en or zh == en) == []
