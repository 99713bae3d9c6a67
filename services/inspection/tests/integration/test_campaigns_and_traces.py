"""Campaigns and traces on the running service: progress from the survey and the registry's
certificates, producers raised once after the deadline; traces to makers in and outside."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from inspection_support import (
    HEAD,
    INSPECTOR,
    SYSTEM,
    InspectionService,
    credit_code,
    enterprise_registered,
    registered,
)

from inspection.application.planner import raise_past_deadlines

pytestmark = pytest.mark.integration

FIRE = {"title": "七类消防产品强制性认证", "product_categories": ["1812", "1801"]}


async def campaign(service: InspectionService, campaign_id: str) -> dict[str, Any]:
    """One campaign as the read model has it."""
    view: dict[str, Any] = await service.read(f"/campaigns/{campaign_id}")
    return view


async def test_a_campaign_follows_its_producers_and_raises_the_uncertified_once(
    service: InspectionService,
) -> None:
    service.clock.moved_to = date(2026, 12, 1)
    laggard, compliant, unsurveyed = credit_code(), credit_code(), credit_code()
    for code in (laggard, compliant, unsurveyed):
        await service.publish_registry(enterprise_registered(code))
    body = {
        **FIRE,
        "campaign_id": "CAM-FIRE",
        "regions": ["西湖区"],
        "deadline": "2026-12-01",
    }
    await service.command("/campaigns", body, role=HEAD)

    async def three_to_survey() -> bool:
        return len((await campaign(service, "CAM-FIRE"))["not_surveyed"]) == 3

    await service.eventually(three_to_survey)
    for code in (laggard, compliant):
        found = {"credit_code": code, "product_categories": ["1812"], "notes": "走访发现"}
        await service.command("/campaigns/CAM-FIRE/enterprises", found, role=INSPECTOR)
        step = f"/campaigns/CAM-FIRE/enterprises/{code}/steps"
        await service.command(step, {"step": "informed"}, role=INSPECTOR)
    applied = f"/campaigns/CAM-FIRE/enterprises/{compliant}/steps"
    await service.command(applied, {"step": "applied"}, role=INSPECTOR)
    await service.publish_registry(registered("CCC-FIRE-1", compliant, category="1812"))

    async def certified() -> bool:
        members = (await campaign(service, "CAM-FIRE"))["enterprises"]
        return any(m["credit_code"] == compliant and m["certified"] for m in members)

    await service.eventually(certified)
    view = await campaign(service, "CAM-FIRE")
    assert view["not_surveyed"] == [unsurveyed]
    progress = {m["credit_code"]: m for m in view["enterprises"]}
    assert progress[laggard]["informed_on"] == "2026-12-01"
    assert progress[laggard]["certified"] is False

    raise_them = "/campaigns/CAM-FIRE/raise-uncertified"
    assert (await service.post(raise_them, role=INSPECTOR)).status_code == 403  # heads decide
    early = await service.post(raise_them, role=HEAD)
    assert early.status_code == 409  # the deadline day itself still counts
    service.clock.moved_to = date(2026, 12, 2)
    raised = await service.command(raise_them, role=HEAD)
    assert [e["event_type"] for e in raised["events"]] == ["ViolationFound"]
    assert (await service.command(raise_them, role=SYSTEM))["events"] == []
    assert raise_past_deadlines(service.app.state.application) == []

    violations = await service.eventually(lambda: service.published_of_type("ViolationFound"))
    assert [(v["enterprise_credit_code"], v["kind"]) for v in violations] == [
        (laggard, "no_certificate")
    ]
    members = (await campaign(service, "CAM-FIRE"))["enterprises"]
    assert {m["credit_code"]: m["violation_id"] for m in members} == {
        laggard: f"CAM-FIRE/{laggard}",
        compliant: None,
    }
    steps = await service.published_of_type("CampaignProgressRecorded")
    assert {s["step"] for s in steps} == {"surveyed", "informed", "applied", "certified"}


async def test_campaign_commands_out_of_turn_are_refused(service: InspectionService) -> None:
    service.clock.moved_to = date(2026, 12, 1)
    past = "2026-11-30"
    response = await service.post("/campaigns", {**FIRE, "deadline": past}, role=HEAD)
    assert response.status_code == 409
    unknown = {"credit_code": credit_code(), "product_categories": ["1812"]}
    response = await service.post("/campaigns/NOPE/enterprises", unknown, role=INSPECTOR)
    assert response.status_code == 404
    response = await service.post("/campaigns", {"title": "x"}, role=HEAD)
    assert response.status_code == 422
    assert (await service.get("/campaigns/NOPE")).status_code == 404


def trace_body(maker: str, division: str | None) -> dict[str, Any]:
    """An unqualified extinguisher found at a shop, made by ``maker``."""
    body = {
        "found_at": "西湖区文三路 平安消防器材店",
        "product_category": "1812",
        "model": "MFZ/ABC4",
        "problem": "no_certificate",
        "manufacturer_credit_code": maker,
    }
    return body | ({"manufacturer_jurisdiction": division} if division else {})


async def test_a_product_traced_outside_the_jurisdiction_is_an_external_violation(
    service: InspectionService,
) -> None:
    maker = credit_code()
    body = {**trace_body(maker, "320506"), "trace_id": "TRC-OUT"}
    done = await service.command("/traces", body, role=INSPECTOR)
    assert [e["event_type"] for e in done["events"]] == [
        "UnqualifiedProductTraced",
        "ViolationFound",
    ]
    (found,) = await service.eventually(lambda: service.published_of_type("ViolationFound"))
    assert (found["kind"], found["external_jurisdiction"]) == ("external", "320506")
    assert found["found_at"] == "西湖区文三路 平安消防器材店"
    trace = await service.read("/traces/TRC-OUT")
    assert (trace["outside_jurisdiction"], trace["violation_id"]) == (True, "TRC-OUT/V1")
    response = await service.post("/traces", body, role=INSPECTOR)
    assert response.status_code == 409


async def test_a_product_traced_inside_the_jurisdiction_brings_an_inspection_of_its_maker(
    service: InspectionService,
) -> None:
    maker = "91330102MA2H0K3L4W"  # registered in 330102, the bureau's own division
    body = {**trace_body(maker, None), "trace_id": "TRC-IN"}
    done = await service.command("/traces", body, role=INSPECTOR)
    assert [e["event_type"] for e in done["events"]] == [
        "UnqualifiedProductTraced",
        "InspectionScheduled",
    ]
    (inspection,) = await service.inspections_of(maker)
    assert (inspection["inspection_id"], inspection["kind"]) == ("trace-TRC-IN", "surprise")
    assert "found at 西湖区文三路" in inspection["cause"]
    assert (await service.read("/traces/TRC-IN", INSPECTOR))["violation_id"] is None
    assert (await service.get("/traces/NOPE")).status_code == 404
    bad = await service.post("/traces", {"found_at": "x"}, role=INSPECTOR)
    assert bad.status_code == 422
