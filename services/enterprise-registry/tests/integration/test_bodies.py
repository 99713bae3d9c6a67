"""Certification bodies over HTTP: register, findings, ratings, queries with issued certificates."""

from __future__ import annotations

from typing import Any

import pytest
from registry_support import (
    AUDITOR,
    HEAD,
    INSPECTOR,
    OFFICER,
    Registry,
    certificate_body,
    credit_code,
    register,
    register_body,
)

pytestmark = pytest.mark.integration

CQC = {
    "code": "CQC",
    "name": "中国质量认证中心",
    "accreditation_number": "CNCA-R-2002-001",
    "contact": "010-83886666",
}
FINDING = {
    "finding_id": "patrol-1",
    "found_on": "2026-03-02",  # the registry fixture's fixed bureau date
    "source": "patrol",
    "description": "证书覆盖型号与实物不符",
    "severity": "major",
}


async def post(
    registry: Registry, path: str, body: dict[str, Any], headers: dict[str, str] = HEAD
) -> Any:
    """POST a command (by the section head unless told) and return the response."""
    return await registry.http.post(path, json=body, headers=headers)


async def test_a_body_with_findings_ratings_and_the_certificates_it_issued(
    registry: Registry,
) -> None:
    response = await post(registry, "/certification-bodies", CQC)
    assert response.status_code == 201, response.text
    assert [e["event_type"] for e in response.json()["events"]] == ["CertificationBodyRegistered"]
    code = credit_code()
    await register(registry, code)
    await register_body(registry)  # CCCF
    for number, issuer in (("CQC01", "CQC"), ("CQC02", CQC["name"]), ("OTHER1", "CCCF")):
        body = certificate_body(number, code, certification_body=issuer)
        answer = await post(registry, "/certificates", body, INSPECTOR)
        assert answer.status_code == 201, answer.text

    findings = "/certification-bodies/CQC/findings"
    found = await post(registry, findings, FINDING, INSPECTOR)  # found on patrol
    assert [e["event_type"] for e in found.json()["events"]] == ["BodyFindingRecorded"]
    again = await post(registry, findings, FINDING, INSPECTOR)
    assert again.json()["events"] == []
    anonymous = {k: v for k, v in FINDING.items() if k != "finding_id"} | {"source": "complaint"}
    from_complaint = await post(registry, findings, anonymous, OFFICER)  # the complaint's officer
    assert len(from_complaint.json()["events"]) == 1
    rating = {"period": "2025", "rating": "qualified", "reasons": ["一项重大发现"]}
    rated = await post(registry, "/certification-bodies/CQC/ratings", rating)
    assert [e["event_type"] for e in rated.json()["events"]] == ["CertificationBodyRated"]
    assert (await post(registry, "/certification-bodies/CQC/ratings", rating)).json()[
        "events"
    ] == []

    one = await registry.read("/certification-bodies/CQC")
    assert (one["name"], one["rating"], one["rating_period"], one["version"]) == (
        CQC["name"], "qualified", "2025", 4,
    )  # fmt: skip
    assert [c["number"] for c in one["certificates"]] == ["CQC01", "CQC02"]
    assert one["certificates"][0]["status"] == "valid"
    assert sorted(f["source"] for f in one["findings"]) == ["complaint", "patrol"]
    assert one["ratings"] == [{**rating, "rated_on": "2026-03-02"}]  # rated on the fixed day
    assert one["registered_on"] == "2026-03-02"

    await post(registry, "/certification-bodies", {**CQC, "code": "CCCF", "name": "中国消防产品"})
    page = await registry.read("/certification-bodies", limit=1)
    assert (page["total"], [b["code"] for b in page["items"]]) == (2, ["CCCF"])

    async def published() -> list[dict[str, Any]]:
        found = await registry.published_on("ccc.registry.certification_body.>")
        return found if len(found) == 2 else []

    messages = await registry.eventually(published)
    assert [m["event_type"] for m in messages] == ["CertificationBodyRegistered"] * 2


async def test_refusals_write_nothing(registry: Registry) -> None:
    assert (await post(registry, "/certification-bodies", CQC)).status_code == 201
    before = registry.event_count()
    duplicate = await post(registry, "/certification-bodies", CQC)
    assert (duplicate.status_code, duplicate.json()["kind"]) == (409, "illegal_transition")
    unknown = await post(registry, "/certification-bodies/NOPE/findings", FINDING, INSPECTOR)
    assert unknown.status_code == 404
    missing = await registry.http.get("/certification-bodies/NOPE", headers=AUDITOR)
    assert missing.status_code == 404
    bad = [
        ("/certification-bodies", {**CQC, "code": "has space"}),
        ("/certification-bodies", {**CQC, "accreditation_number": ""}),
        ("/certification-bodies/CQC/findings", {**FINDING, "severity": "fatal"}),
        ("/certification-bodies/CQC/findings", {**FINDING, "source": "rumour"}),
        (
            "/certification-bodies/CQC/ratings",
            {"period": "2025-Q9", "rating": "good", "reasons": ["x"]},
        ),
        ("/certification-bodies/CQC/ratings", {"period": "2025", "rating": "good", "reasons": []}),
    ]
    for path, body in bad:
        response = await post(registry, path, body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["detail"][0]["loc"], response.text
    future = {**FINDING, "found_on": "2999-01-01"}
    assert (await post(registry, "/certification-bodies/CQC/findings", future)).status_code == 409
    no_actor = await registry.http.post("/certification-bodies/CQC/findings", json=FINDING)
    assert no_actor.status_code == 401
    assert registry.event_count() == before
