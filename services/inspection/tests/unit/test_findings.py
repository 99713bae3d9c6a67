"""Each finding rule, given a record and the certificates known: the violation, its evidence, its
article; minor problems recorded as findings; a clean record finds nothing."""

from __future__ import annotations

import pytest
from inspection_given import ENTERPRISE, ID, OTHER_ENTERPRISE, certificate, product, record

from ccc_contracts.inspection import FindingRecorded, ProductSeen, ViolationFound
from inspection.domain.findings import RULES, check
from inspection.domain.inspection_commands import CertificateFact, PatrolRecord

pytestmark = pytest.mark.unit

NUMBER = "2024010201234567"


def violations(record_: PatrolRecord, *certificates: CertificateFact) -> list[ViolationFound]:
    found = check(ID, ENTERPRISE, record_, certificates)
    return [finding for finding in found if isinstance(finding, ViolationFound)]


def only_violation(record_: PatrolRecord, *certificates: CertificateFact) -> ViolationFound:
    (violation,) = violations(record_, *certificates)
    assert violation.enterprise_credit_code == ENTERPRISE
    assert violation.inspection_id == ID
    assert violation.violation_id == f"{ID}/V1"
    return violation


def test_a_certified_model_made_under_a_valid_certificate_finds_nothing() -> None:
    assert check(ID, ENTERPRISE, record(product()), (certificate(),)) == []


def test_a_product_with_no_certificate_for_its_category_is_no_certificate() -> None:
    violation = only_violation(record(product(shown=None)), certificate(product_category="0703"))
    assert violation.kind == "no_certificate"
    assert violation.article == "Order 117 art 2, art 49"
    assert violation.certificate_number is None
    assert violation.evidence == [
        "rule no_certificate",
        "product 0701 model KFR-35GW, certificate shown: none",
        "no certificate covers 0701",
    ]


def test_another_enterprises_certificate_of_the_category_does_not_cover_this_one() -> None:
    violation = only_violation(
        record(product(shown=None)), certificate(holder_credit_code=OTHER_ENTERPRISE)
    )
    assert violation.kind == "no_certificate"


@pytest.mark.parametrize("status", ["suspended", "revoked", "cancelled", "expired"])
def test_a_product_made_while_its_certificate_is_not_valid_is_certificate_invalid(
    status: str,
) -> None:
    violation = only_violation(record(product()), certificate(status=status))
    assert violation.kind == "certificate_invalid"
    assert violation.article == "Order 117 art 51"
    assert violation.certificate_number == NUMBER
    assert f"held by {ENTERPRISE}, {status}" in violation.evidence[-1]


def test_a_valid_certificate_for_the_model_outweighs_an_invalid_one() -> None:
    valid = certificate(number="2024010201230000")
    assert violations(record(product(shown=None)), certificate(status="revoked"), valid) == []


def test_a_model_not_covered_by_the_certificate_is_product_mismatch() -> None:
    violation = only_violation(record(product("KFR-72LW")), certificate())
    assert violation.kind == "product_mismatch"
    assert violation.article == "Order 117 art 50"
    assert violation.certificate_number == NUMBER
    assert "product 0701 model KFR-72LW, certificate shown: 2024010201234567" in violation.evidence


def test_a_certificate_number_that_does_not_exist_is_mark_misuse() -> None:
    violation = only_violation(record(product(shown="2099999999999999")), certificate())
    assert violation.kind == "mark_misuse"
    assert violation.article == "Order 117 art 53"
    assert violation.evidence[0] == "rule certificate_forged"
    assert "no such certificate is known" in violation.evidence


def test_showing_another_holders_certificate_is_mark_misuse() -> None:
    violation = only_violation(record(product()), certificate(holder_credit_code=OTHER_ENTERPRISE))
    assert violation.kind == "mark_misuse"
    assert violation.evidence[0] == "rule certificate_of_another"
    assert violation.certificate_number == NUMBER


def test_a_nonconforming_use_of_the_mark_is_mark_misuse_with_the_record_line() -> None:
    violation = only_violation(
        record(product(), results={"mark_use": "nonconforming"}, notes="标志模压不规范"),
        certificate(),
    )
    assert violation.kind == "mark_misuse"
    assert violation.article == "Order 117 art 55"
    assert violation.evidence == [
        "rule mark_misused",
        "use of the 3C mark nonconforming: 标志模压不规范",
        "product 0701 model KFR-35GW, certificate shown: 2024010201234567",
    ]


@pytest.mark.parametrize("area", ["purchasing", "production", "testing", "warehousing"])
def test_another_nonconforming_area_is_a_minor_finding_handled_by_guidance(area: str) -> None:
    found = check(ID, ENTERPRISE, record(results={area: "nonconforming"}, notes="台账不全"), ())
    assert found == [
        FindingRecorded(
            finding_id=f"{ID}/F1",
            enterprise_credit_code=ENTERPRISE,
            inspection_id=ID,
            severity="minor",
            area=area,  # type: ignore[arg-type]
            summary=f"{area} nonconforming; guided to rectify",
            evidence=[f"{area} nonconforming: 台账不全"],
        )
    ]


def test_a_certified_product_showing_no_number_is_a_minor_finding() -> None:
    (finding,) = check(ID, ENTERPRISE, record(product(shown=None)), (certificate(),))
    assert isinstance(finding, FindingRecorded)
    assert finding.area == "mark_use"


def test_not_applicable_areas_find_nothing() -> None:
    answers = dict.fromkeys(["purchasing", "testing"], "not_applicable")
    assert check(ID, ENTERPRISE, record(results=answers), ()) == []  # type: ignore[arg-type]


def test_each_product_is_its_own_violation_in_record_order_with_stable_ids() -> None:
    products = (
        ProductSeen(product_category="0703", model="X1"),
        product("KFR-72LW"),
    )
    found = violations(record(*products), certificate())
    assert [(v.violation_id, v.kind) for v in found] == [
        ("INS-2026-0001/V1", "no_certificate"),
        ("INS-2026-0001/V2", "product_mismatch"),
    ]
    # the certificates known, in another order and with another holder's among them, change
    # nothing: the ids follow the record alone
    others = certificate(number="2024010209999999", holder_credit_code=OTHER_ENTERPRISE)
    assert violations(record(*products), others, certificate()) == found


def test_every_article_cites_order_117() -> None:
    assert all(article.startswith("Order 117 art ") for _, article in RULES.values())


def test_a_certificate_shown_for_another_category_is_product_mismatch() -> None:
    other_category = certificate(number="2024010201239999", product_category="0703")
    violation = only_violation(
        record(product(shown="2024010201239999")), certificate(), other_category
    )
    assert violation.kind == "product_mismatch"
    assert violation.certificate_number == "2024010201239999"
