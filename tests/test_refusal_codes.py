"""Every refusal of the bureau's rules names its rule by a stable code, and the console can say
each code in Chinese and in English."""

from __future__ import annotations

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
    for code in all_codes():
        parts = code.split(".")
        assert len(parts) == 2 and all(p and p.replace("_", "").isalnum() for p in parts), code
        assert code == code.lower(), code


def test_the_list_of_codes_in_the_docs_is_current() -> None:
    listed = (ROOT / "docs" / "refusals.md").read_text(encoding="utf-8")
    assert listed == markdown(), "run: python -m ccc_shared.testing.refusal_codes > docs/refusals.md"


def test_the_console_says_every_code_in_chinese_and_english() -> None:
    missing = sorted(code for code in all_codes() if problem_key(code) not in CATALOGUE)
    assert missing == []
    for code in all_codes():
        chinese, english = CATALOGUE[problem_key(code)]
        assert chinese and english and chinese != english, code
