"""Templates: Chinese by default, English on request, always citing the cause event."""

from __future__ import annotations

import pytest

from notification.domain.templates import TEMPLATES, render

pytestmark = pytest.mark.unit
CAUSE = {"cause_event_id": "0190aaaa-0000-7000-8000-000000000001",
         "cause_event_type": "ViolationFound"}  # fmt: skip


def test_chinese_is_the_default_and_names_the_cause_event() -> None:
    params = {"certificate_number": "CERT-1", "enterprise_credit_code": "91330100MA27XL0Y34",
              "kind": "certificate_invalid", "article": "Order 117 art 27",
              "evidence": ["照片 1", "销售记录"], **CAUSE}  # fmt: skip
    subject, body = render("violation_found", "fr", params)
    assert subject == "违法违规通报：证书 CERT-1"
    assert "证书失效仍生产" in body
    assert "照片 1；销售记录" in body
    assert body.endswith("原因事件：0190aaaa-0000-7000-8000-000000000001（ViolationFound）")


def test_english_on_request_and_a_missing_fact_reads_as_a_dash() -> None:
    subject, body = render("violation_found", "en", {"kind": "external", **CAUSE})
    assert subject == "Violation notice: certificate -"
    assert "maker outside the jurisdiction" in body
    assert "Cause event: 0190aaaa-0000-7000-8000-000000000001 (ViolationFound)" in body


def test_every_template_has_both_languages() -> None:
    names = {name for name, _ in TEMPLATES}
    assert {(name, language) for name in names for language in ("zh", "en")} == set(TEMPLATES)
    for name in names:
        for language in ("zh", "en"):
            render(name, language, CAUSE)  # every placeholder is tolerated


def test_the_enterprise_is_named_when_known() -> None:
    params = {"enterprise_credit_code": "91330100MA27XL0Y34", "enterprise_name": "杭州安消器材",
              **CAUSE}  # fmt: skip
    _, body = render("violation_found", "zh", params)
    assert "贵机构认证的企业 杭州安消器材（91330100MA27XL0Y34）" in body
    _, body = render("violation_found", "en", {"enterprise_credit_code": "9133", **CAUSE})
    assert "An enterprise you certified, 9133, was" in body
