"""The case's law over HTTP on both stores: articles that fit the problem, decision numbers
unique in the bureau, clues dated the day they were found."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_support import (
    HEAD,
    OFFICER,
    EnforcementService,
    credit_code,
    handled,
    penalty,
)

pytestmark = pytest.mark.integration


async def upload(service: EnforcementService, document: bytes) -> str:
    """Upload a decision document; its SHA-256."""
    headers = {**OFFICER, "Content-Type": "application/pdf"}
    stored = await service.http.post("/documents", content=document, headers=headers)
    assert stored.status_code == 201, stored.text
    return str(stored.json()["sha256"])


async def notified_case(service: EnforcementService, problem: str) -> str:
    """A manual case about ``problem``, handled by officer-3 and the party notified."""
    opened = await service.command(
        "/cases", {"subject_credit_code": credit_code(), "problem": problem}
    )
    number = str(opened["aggregate_id"])
    await handled(service, number)
    await service.command(f"/cases/{number}/notify", {"intended": "fine"})
    return number


async def test_a_penalty_must_fit_the_case_problem_and_a_forged_certificate_is_a_problem(
    service: EnforcementService,
) -> None:
    sha256 = await upload(service, b"%PDF-1.7 decision on a forged certificate")
    invalid = await notified_case(service, "certificate_invalid")
    before = service.event_count()
    refused = await service.http.post(
        f"/cases/{invalid}/penalty", json=penalty(sha256), headers=OFFICER
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Order 117 art 49 does not punish certificate_invalid; the articles for"
        " certificate_invalid: Order 117 art 51"
    )
    assert service.event_count() == before

    forged = await notified_case(service, "certificate_forged")
    fine = penalty(sha256, 30_000, basis_article="Order 117 art 53", decision_document_number="F-1")
    await service.command(f"/cases/{forged}/penalty", fine)
    view = await service.get(f"/cases/{forged}")
    assert (view["problem"], view["status"], view["penalty_amount"]) == (
        "certificate_forged", "decided", 30_000,
    )  # fmt: skip
    page = await service.get("/cases", problem="certificate_forged")
    assert [c["case_number"] for c in page["items"]] == [forged]


async def test_a_decision_number_is_unique_in_the_bureau(service: EnforcementService) -> None:
    sha256 = await upload(service, b"%PDF-1.7 decision 1")
    first = await notified_case(service, "no_certificate")
    second = await notified_case(service, "no_certificate")
    number = {"decision_document_number": "X市监罚〔2026〕88号"}
    await service.command(f"/cases/{first}/penalty", penalty(sha256, **number))
    confiscation = penalty(sha256, 9_000, penalty_type="confiscation_of_illegal_gains", **number)
    await service.command(f"/cases/{first}/penalty", confiscation)  # one decision, two types
    before = service.event_count()
    refused = await service.http.post(
        f"/cases/{second}/penalty", json=penalty(sha256, **number), headers=OFFICER
    )
    assert refused.status_code == 409
    assert f"X市监罚〔2026〕88号 is already case {first}'s" in refused.json()["detail"]
    assert service.event_count() == before
    assert (await service.get(f"/cases/{second}"))["status"] == "notified"


async def test_a_clue_is_dated_the_day_it_was_found_never_after_today(
    service: EnforcementService,
) -> None:
    code = credit_code()  # today is Monday 2026-03-02
    before = service.event_count()
    future = {"subject_credit_code": code, "problem": "no_certificate", "found_on": "2026-03-03"}
    refused = await service.http.post("/cases", json=future, headers=OFFICER)
    assert refused.status_code == 422
    assert "2026-03-03 is after today (2026-03-02)" in refused.text
    assert service.event_count() == before
    late = {"subject_credit_code": code, "problem": "no_certificate", "found_on": "2026-02-09"}
    opened = await service.command("/cases", late)
    view = await service.get(f"/cases/{opened['aggregate_id']}")
    # 15 working days from Monday 2026-02-09 skip the Spring Festival (15-23 Feb, 14 Feb worked)
    assert (view["found_on"], view["opened_on"], view["register_decision_due_on"]) == (
        "2026-02-09", "2026-03-02", "2026-03-06",
    )  # fmt: skip


async def test_registration_checks_the_limitation_and_the_handling_clock_follows_the_procedure(
    service: EnforcementService,
) -> None:
    service.clock.day = date(2026, 1, 5)
    code = credit_code()
    opened = await service.command(
        "/cases",
        {
            "subject_credit_code": code,
            "problem": "no_certificate",
            "found_on": "2026-01-05",
        },
    )
    number = opened["aggregate_id"]
    assignment = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
    await service.command(f"/cases/{number}/assign", assignment, HEAD)
    before = service.event_count()
    barred = await service.http.post(
        f"/cases/{number}/register", json={"violation_on": "2024-01-04"}, headers=OFFICER
    )
    assert barred.status_code == 409
    assert barred.json()["detail"] == (
        f"case {number}: past the limitation period: the act on 2024-01-04 was found on"
        " 2026-01-05, more than 2 years later (last day 2026-01-04); not punished"
        " (Administrative Penalty Law 2021 art 36 para 1)"
    )
    assert service.event_count() == before
    await service.command(f"/cases/{number}/register", {"violation_on": "2024-01-05"})
    view = await service.get(f"/cases/{number}")
    # 90 days after 5 January 2026 is Sunday 5 April, inside Qingming: Tuesday 7 April
    assert (view["decision_due_on"], view["violation_on"]) == ("2026-04-07", "2024-01-05")

    await service.command(f"/cases/{number}/investigate")
    stop = {"reason": "hearing", "on": "2026-02-02", "remarks": "当事人申请听证"}
    service.clock.day = date(2026, 2, 3)
    await service.command(f"/cases/{number}/clock/stop", stop)
    view = await service.get(f"/cases/{number}")
    assert (view["clock_stopped_for"], view["clock_stopped_on"], view["next_due_on"]) == (
        "hearing", "2026-02-02", None,
    )  # fmt: skip
    service.clock.day = date(2026, 2, 12)
    await service.command(f"/cases/{number}/clock/restart", {})
    view = await service.get(f"/cases/{number}")
    # 10 days not counted: 5 April + 10 = Wednesday 15 April
    assert (view["decision_due_on"], view["days_not_counted"], view["clock_stopped_for"]) == (
        "2026-04-15", 10, None,
    )  # fmt: skip
    collective = {"approved_by": "局务会", "approval_reference": "集体-1", "collective": True,
                  "decision_due_on": "2026-06-30"}  # fmt: skip
    early = await service.http.post(
        f"/cases/{number}/extend-decision-deadline", json=collective, headers=HEAD
    )
    assert early.status_code == 409
    assert "only after the head's 30-day extension" in early.json()["detail"]
    head = {"approved_by": "陈静", "approval_reference": "延期-1"}
    await service.command(f"/cases/{number}/extend-decision-deadline", head, HEAD)
    assert (await service.get(f"/cases/{number}"))["decision_due_on"] == "2026-05-15"
    await service.command(f"/cases/{number}/extend-decision-deadline", collective, HEAD)
    assert (await service.get(f"/cases/{number}"))["decision_due_on"] == "2026-06-30"

    # to its end: the auditor's stream holds every procedural step, in order
    await service.command(f"/cases/{number}/notify", {"intended": "罚款 80,000 元"})
    sha256 = await upload(service, b"%PDF-1.7 decision of the whole procedure")
    fine = penalty(sha256, decision_document_number="X市监罚〔2026〕5号")
    await service.command(f"/cases/{number}/penalty", fine)
    await service.command(f"/cases/{number}/execute", {"remarks": "罚款已缴"})
    await service.command(f"/cases/{number}/close")
    timeline = [
        "CaseOpened", "CaseAssigned", "CaseRegistered", "InvestigationStarted",
        "HandlingClockStopped", "HandlingClockRestarted", "DecisionDeadlineExtended",
        "DecisionDeadlineExtended", "PartyNotified", "PenaltyDecided", "DecisionExecuted",
        "CaseClosed", "CaseReportDue",
    ]  # fmt: skip

    async def whole_timeline() -> bool:
        return await service.published_types(number) == timeline

    await service.eventually(whole_timeline)
    published = [m for m in await service.published() if m["data"].get("case_number") == number]
    registered = next(m["data"] for m in published if m["event_type"] == "CaseRegistered")
    assert (registered["decision_due_on"], registered["violation_on"]) == (
        "2026-04-07", "2024-01-05",
    )  # fmt: skip
    assert {m["data"]["subject_credit_code"] for m in published} == {code}


async def test_a_complaint_about_a_forged_certificate_opens_a_case_dated_the_day_received(
    service: EnforcementService,
) -> None:
    complaint = {
        "channel": "letter", "subject_credit_code": credit_code(), "problem": "certificate_forged",
        "description": "证书编号查无此证", "received_on": "2026-02-27",
        "subject_name": "某某电器厂", "product": "电热水壶",
    }  # fmt: skip
    received = await service.command("/complaints", complaint)
    view = await service.get(f"/cases/{received['case_number']}")
    # received Friday 27 Feb; Saturday 28 Feb is worked: 15 working days end on Thursday 19 March
    assert (view["problem"], view["found_on"], view["opened_on"]) == (
        "certificate_forged", "2026-02-27", "2026-03-02",
    )  # fmt: skip
    assert (view["subject_name"], view["product"], view["register_decision_due_on"]) == (
        "某某电器厂", "电热水壶", "2026-03-19",
    )  # fmt: skip
