"""Commands over HTTP: contract events on CCC_REGISTRY, read models, refusals that write nothing."""

from __future__ import annotations

import pytest
from registry_support import (
    AUDITOR,
    HEAD,
    INSPECTOR,
    Registry,
    certificate_body,
    credit_code,
    enterprise_body,
    register,
    register_body,
    register_certificate,
)

pytestmark = pytest.mark.integration


async def test_commands_publish_contract_events_and_update_the_read_models(
    registry: Registry,
) -> None:
    code = credit_code()
    created = await register(registry, code)
    assert [e["event_type"] for e in created["events"]] == [
        "EnterpriseRegistered",
        "EnterpriseClassified",
    ]
    http = registry.http
    await register_body(registry)
    body = certificate_body("CCC001", code)
    response = await http.post("/certificates", json=body, headers=INSPECTOR)
    assert response.status_code == 201, response.text
    suspend = {"reason_code": "follow_up_refused_or_failed", "reason": "拒绝跟踪检查"}
    response = await http.post("/certificates/CCC001/suspend", json=suspend, headers=HEAD)
    assert response.status_code == 200, response.text

    certificate = await registry.read("/certificates/CCC001")
    assert (certificate["status"], certificate["status_article"]) == (
        "suspended",
        "Order 117 art 27(3)",
    )
    enterprise = await registry.read(f"/enterprises/{code}")
    assert enterprise["supervision_class"] == "B"
    assert enterprise["registered_on"] == "2026-03-02"  # the fixture's fixed bureau date
    assert enterprise["certificates"] == ["CCC001"]

    async def published() -> list[dict[str, object]]:
        messages = await registry.published_on("ccc.registry.*.*.*")
        messages = [m for m in messages if m["aggregate_type"] != "certification_body"]
        return messages if len(messages) == 4 else []

    messages = await registry.eventually(published)
    assert [(m["event_type"], m["aggregate_id"]) for m in messages] == [
        ("EnterpriseRegistered", code),
        ("EnterpriseClassified", code),
        ("CertificateRegistered", "CCC001"),
        ("CertificateSuspended", "CCC001"),
    ]
    assert messages[0]["actor"] == {"id": "inspector-7", "role": "inspector", "name": "王芳"}
    assert messages[3]["actor"] == {"id": "head-1", "role": "section_head", "name": "陈静"}
    assert messages[3]["data"]["article"] == "Order 117 art 27(3)"
    assert messages[0]["data"]["name"] == "浙江消防器材有限公司"

    dossier = (await registry.read(f"/enterprises/{code}/dossier"))["entries"]
    assert [entry["kind"] for entry in dossier] == [
        "registration", "classification", "certificate", "certificate",
    ]  # fmt: skip
    assert dossier[3]["event_id"] == messages[3]["event_id"]


async def test_bad_input_is_refused_and_writes_nothing(registry: Registry) -> None:
    code = credit_code()
    await register(registry, code)
    await register_certificate(registry, "CCC002", code)
    before = registry.event_count()
    http = registry.http

    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = await http.post("/enterprises", json=enterprise_body(wrong), headers=INSPECTOR)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "credit_code"]
    assert f"check character should be {code[17]!r}" in error["msg"]

    response = await http.post(
        "/enterprises", json=enterprise_body(credit_code(), scale="huge"), headers=INSPECTOR
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "scale"]
    response = await http.post("/enterprises", json=enterprise_body(credit_code()))
    assert response.status_code == 401  # no token: nobody to name as the actor
    response = await http.post("/enterprises", json=enterprise_body(code), headers=INSPECTOR)
    assert response.status_code == 409
    assert response.json()["kind"] == "illegal_transition"

    response = await http.post(
        "/certificates/CCC002/reinstate", json={"reason_code": "rectified"}, headers=HEAD
    )
    assert response.status_code == 409
    assert "cannot reinstate a valid certificate" in response.json()["detail"]
    response = await http.post(
        "/certificates/NOPE/suspend", json={"reason_code": "other"}, headers=HEAD
    )
    assert response.status_code == 404
    assert (await http.get("/certificates/NOPE", headers=AUDITOR)).status_code == 404
    assert (await http.get(f"/enterprises/{credit_code()}", headers=AUDITOR)).status_code == 404
    unknown = credit_code()
    response = await http.post(
        f"/enterprises/{unknown}/custodian", json={"custodian_id": "li"}, headers=HEAD
    )
    assert response.status_code == 404
    assert registry.event_count() == before


async def test_queries_filter_page_and_report_coverage(registry: Registry) -> None:
    http = registry.http
    kept, other, gap = credit_code(), credit_code(), credit_code()
    await register(registry, kept, custodian_id="li")
    await register(registry, other, region="拱墅区", product_categories=["0901"])
    await register(registry, gap, contact=" ")
    await register_certificate(registry, "CCC003", kept)
    response = await http.patch(f"/enterprises/{other}", json={"scale": "large"}, headers=INSPECTOR)
    assert [e["event_type"] for e in response.json()["events"]] == ["EnterpriseProfileUpdated"]

    page = await registry.read("/enterprises", product_category="1812")
    assert (page["total"], [e["credit_code"] for e in page["items"]]) == (2, sorted([kept, gap]))
    page = await registry.read("/enterprises", certificate_status="valid")
    assert [e["credit_code"] for e in page["items"]] == [kept]
    page = await registry.read("/enterprises", region="拱墅区", limit=1)
    assert page["items"][0]["scale"] == "large"
    page = await registry.read("/enterprises", limit=1, offset=1)
    assert (page["total"], len(page["items"])) == (3, 1)

    coverage = await registry.read("/coverage")
    assert coverage["catalogue_enterprises"] == 3
    assert coverage["covered"] == 1
    assert {e["credit_code"] for e in coverage["without_custodian"]["items"]} == {other, gap}
    assert coverage["missing_data"]["items"][0]["missing"] == ["contact"]

    response = await http.post(f"/enterprises/{gap}/custodian", json={"custodian_id": "zhao"},
                               headers=HEAD)  # fmt: skip
    assert response.status_code == 200
    coverage = await registry.read("/coverage")
    assert coverage["without_custodian"]["count"] == 1
