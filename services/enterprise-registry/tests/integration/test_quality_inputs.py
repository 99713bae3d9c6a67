"""Spot-check results, credit rating and quality status over HTTP: the class and the dossier."""

from __future__ import annotations

from typing import Any

import pytest
from registry_support import HEAD, INSPECTOR, SYSTEM, Registry, credit_code, register

pytestmark = pytest.mark.integration

TODAY = "2026-03-02"  # the registry fixture's fixed bureau date


def spot_check(check_id: str, *, passed: bool, **changes: Any) -> dict[str, Any]:
    """A county spot check of extinguishers done today."""
    defects = [] if passed else ["灭火剂充装量不足"]
    body = {"spot_check_id": check_id, "level": "county", "checked_on": TODAY}
    return body | {"product_category": "1812", "passed": passed, "defects": defects, **changes}


async def events_of(
    registry: Registry, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[str]:
    """POST an input (by ``headers``' caller) and return the event types it appended."""
    response = await registry.http.post(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return [e["event_type"] for e in response.json()["events"]]


async def test_inputs_move_the_class_only_when_it_changes_and_enter_the_dossier(
    registry: Registry,
) -> None:
    code = credit_code()
    await register(registry, code)  # small: class B
    checks = f"/enterprises/{code}/spot-checks"
    failed = spot_check("SC-1", passed=False)
    assert await events_of(registry, checks, failed, INSPECTOR) == [
        "SpotCheckResultRecorded",
        "EnterpriseClassified",
    ]
    assert await events_of(registry, checks, failed, INSPECTOR) == []  # redelivered: nothing
    passed = spot_check("SC-2", passed=True, level="provincial")  # the province's, sent over
    assert await events_of(registry, checks, passed, SYSTEM) == ["SpotCheckResultRecorded"]
    enterprise = await registry.read(f"/enterprises/{code}")  # still C
    assert enterprise["supervision_class"] == "C"

    rating = {
        "rating": "high_risk",
        "source": "国家企业信用信息公示系统",
        "rated_on": TODAY,
    }
    credit = f"/enterprises/{code}/credit-rating"  # fed from the public credit system
    assert await events_of(registry, credit, rating, SYSTEM) == [
        "CreditRatingRecorded",
        "EnterpriseClassified",
    ]
    assert await events_of(registry, credit, rating, SYSTEM) == []
    quality = {"status": "poor", "source": "质量分析报告", "assessed_on": TODAY}
    assert await events_of(registry, f"/enterprises/{code}/quality-status", quality, HEAD) == [
        "QualityStatusRecorded"
    ]  # D already
    enterprise = await registry.read(f"/enterprises/{code}")
    assert enterprise["supervision_class"] == "D"

    entries = (await registry.read(f"/enterprises/{code}/dossier"))["entries"]
    kinds = [entry["kind"] for entry in entries]
    assert kinds.count("spot_check") == 2
    assert kinds.count("classification") == 3
    assert "credit_rating" in kinds
    assert "quality_status" in kinds
    failed_entry = next(e for e in entries if e["kind"] == "spot_check")
    assert "county spot check of 1812 failed: 灭火剂充装量不足" in failed_entry["summary"]
    assert failed_entry["event_type"] == "SpotCheckResultRecorded"

    async def spot_checks() -> list[dict[str, Any]]:
        found = await registry.published_on(f"ccc.registry.enterprise.{code}.>")
        checks = [m for m in found if m["event_type"] == "SpotCheckResultRecorded"]
        return checks if len(checks) == 2 else []

    published = await registry.eventually(spot_checks)  # a contract: inspection reads it
    assert published[0]["data"]["defects"] == ["灭火剂充装量不足"]
    assert [m["data"]["level"] for m in published] == ["county", "provincial"]


async def test_bad_or_unknown_inputs_write_nothing(registry: Registry) -> None:
    code = credit_code()
    await register(registry, code)
    before = registry.event_count()
    bad = [
        (f"/enterprises/{code}/spot-checks", spot_check("X", passed=True, level="village")),
        (f"/enterprises/{code}/spot-checks", spot_check("X", passed="maybe")),
        (f"/enterprises/{code}/spot-checks", {**spot_check("X", passed=True), "extra": 1}),
        (f"/enterprises/{code}/credit-rating", {"rating": "AAA", "source": "x", "rated_on": TODAY}),
        (f"/enterprises/{code}/quality-status", {"status": "poor", "source": ""}),
        ("/enterprises/91330100MA0000000X/spot-checks", spot_check("X", passed=True)),
    ]
    for path, body in bad:
        response = await registry.http.post(path, json=body, headers=HEAD)
        assert response.status_code == 422, (path, response.text)
    unknown = credit_code()
    response = await registry.http.post(
        f"/enterprises/{unknown}/spot-checks", json=spot_check("X", passed=True), headers=INSPECTOR
    )
    assert response.status_code == 404
    future = spot_check("X", passed=True, checked_on="2999-01-01")
    response = await registry.http.post(
        f"/enterprises/{code}/spot-checks", json=future, headers=INSPECTOR
    )
    assert (response.status_code, response.json()["kind"]) == (409, "illegal_transition")
    assert registry.event_count() == before
