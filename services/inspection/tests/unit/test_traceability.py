"""Given/when/then for traces: a maker outside the jurisdiction is an external violation,
a maker inside gets an inspection."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_contracts.inspection import ViolationFound
from inspection.domain import traceability
from inspection.domain.base import DomainError
from inspection.domain.traceability import (
    RecordUnqualifiedProduct,
    UnqualifiedProductTraced,
    within,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 4)
MAKER = "91320500MA1MXXXX0X"


def command(division: str, **changes: object) -> RecordUnqualifiedProduct:
    values: dict[str, object] = {
        "trace_id": "TRC-1",
        "found_at": "西湖区文三路 平安消防器材店",
        "product_category": "1812",
        "model": "MFZ/ABC4",
        "problem": "no_certificate",
        "description": "铭牌无3C标志",
        "manufacturer_credit_code": MAKER,
        "manufacturer_jurisdiction": division,
        "bureau_jurisdiction": "330102",
    }
    return RecordUnqualifiedProduct(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("division", "jurisdiction", "inside"),
    [
        ("330102", "330102", True),
        ("330106", "330102", False),
        ("330106", "330100", True),
        ("320506", "330000", False),
    ],
)
def test_a_division_lies_in_a_jurisdiction_by_its_code(
    division: str, jurisdiction: str, inside: bool
) -> None:
    assert within(division, jurisdiction) is inside


def test_a_maker_outside_the_jurisdiction_is_an_external_violation_naming_where_found() -> None:
    traced, found = traceability.decide(None, command("320506"), TODAY)
    assert isinstance(traced, UnqualifiedProductTraced)
    assert traced.outside_jurisdiction
    assert traced.manufacturer_inspection_id is None
    assert isinstance(found, ViolationFound)
    assert (found.kind, found.external_jurisdiction) == ("external", "320506")
    assert found.found_at == "西湖区文三路 平安消防器材店"
    assert (found.violation_id, found.enterprise_credit_code) == ("TRC-1/V1", MAKER)
    assert found.article == "Order 117 art 2, art 49"
    assert "product 1812 model MFZ/ABC4: no_certificate" in found.evidence


def test_a_misused_mark_found_at_a_seller_cites_the_mark_article() -> None:
    _, found = traceability.decide(None, command("320506", problem="mark_misused"), TODAY)
    assert isinstance(found, ViolationFound)
    assert found.article == "Order 117 art 55"


def test_a_maker_inside_the_jurisdiction_gets_an_inspection_and_no_violation_yet() -> None:
    (traced,) = traceability.decide(None, command("330102"), TODAY)
    assert isinstance(traced, UnqualifiedProductTraced)
    assert not traced.outside_jurisdiction
    assert traced.manufacturer_inspection_id == "trace-TRC-1"
    state = traceability.replay([traced])
    assert state is not None
    assert state.violation_id is None


def test_a_trace_is_recorded_once() -> None:
    events = traceability.decide(None, command("320506"), TODAY)
    state = traceability.replay(events)
    assert state is not None
    assert state.violation_id == "TRC-1/V1"
    with pytest.raises(DomainError, match="already recorded"):
        traceability.decide(state, command("320506"), TODAY)
