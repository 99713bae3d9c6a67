"""A case over HTTP from clue to CNCA report; contract events published, private ones kept."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sysconfig
from pathlib import Path

import pytest
from enforcement_support import (
    AUDITOR,
    HEAD,
    OFFICER,
    EnforcementService,
    credit_code,
    handled,
    penalty,
)

from ccc_shared.testing.actors import actor_headers
from enforcement import cli

pytestmark = pytest.mark.integration


async def test_a_manual_case_goes_from_clue_to_the_cnca_report(
    service: EnforcementService, capsys: pytest.CaptureFixture[str]
) -> None:
    code = credit_code()
    opened = await service.command(
        "/cases", {"subject_credit_code": code, "problem": "mark_misuse"}
    )
    number = opened["aggregate_id"]
    assert number == "CCC-2026-00001"
    await handled(service, number)
    await service.command(f"/cases/{number}/warning", {"content": "规范使用3C标志"})
    order = {"requirement": "规范使用3C标志", "deadline": "2026-03-16"}
    await service.command(f"/cases/{number}/rectification", order)
    await service.command(f"/cases/{number}/rectification/verify", {"passed": False})
    await service.command(f"/cases/{number}/notify", {"intended": "fine 10,000 RMB"})
    document = b"%PDF-1.7\n" + "处罚决定书".encode() * 10
    sha256 = hashlib.sha256(document).hexdigest()
    uploaded = await service.http.post(
        "/documents", content=document, headers={**OFFICER, "Content-Type": "application/pdf"}
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["sha256"] == sha256
    out_of_range = penalty(sha256, 20_001, basis_article="Order 117 art 55")
    refused = await service.http.post(
        f"/cases/{number}/penalty", json=out_of_range, headers=OFFICER
    )
    assert refused.status_code == 409
    assert "20,000" in refused.json()["detail"]
    await service.command(
        f"/cases/{number}/penalty", penalty(sha256, 10_000, basis_article="Order 117 art 55")
    )
    await service.command(f"/cases/{number}/execute", {"remarks": "罚款已缴"})
    closed = await service.command(f"/cases/{number}/close")
    assert [e["event_type"] for e in closed["events"]] == ["CaseClosed", "CaseReportDue"]

    report = await service.get(f"/cases/{number}/cnca-report", description="商标滥用")
    assert report["penalty_basis"] == "《强制性产品认证管理规定》第五十五条"
    assert (report["penalty_type"], report["penalty_amount"]) == ("罚款", 10_000)
    assert report["case_source"] == "其他途径"
    form = await service.http.get(f"/cases/{number}/cnca-report.pdf", headers=AUDITOR)
    assert (form.status_code, form.headers["content-type"]) == (200, "application/pdf")
    assert form.content.startswith(b"%PDF-")
    assert report["penalty_decision_document"]["file_reference"] == f"documents/{sha256}"
    assert report["due_on"] == "2026-03-22"
    assert cli.main([number, "--database-url", service.database_url]) == 0
    assert json.loads(capsys.readouterr().out)["case_number"] == number
    recorded = await service.command(f"/cases/{number}/cnca-report", {"receipt": "CNCA-1"})
    assert [e["event_type"] for e in recorded["events"]] == ["CaseReportedToCNCA"]
    again = await service.http.post(f"/cases/{number}/cnca-report", json={}, headers=OFFICER)
    assert again.status_code == 409
    fetched = await service.http.get(f"/documents/{sha256}", headers=AUDITOR)
    assert fetched.content == document

    expected = [
        "CaseOpened", "CaseAssigned", "CaseRegistered", "InvestigationStarted", "WarningIssued",
        "RectificationOrdered", "RectificationVerified", "PartyNotified", "PenaltyDecided",
        "DecisionExecuted", "CaseClosed", "CaseReportDue", "CaseReportedToCNCA",
    ]  # fmt: skip

    async def all_published() -> bool:
        return await service.published_types(number) == expected

    await service.eventually(all_published)
    published = await service.published()
    [sent] = [m["data"] for m in published if m["event_type"] == "CaseReportedToCNCA"]
    filed = sent["report_document_sha256"]
    kept = await service.http.get(f"/documents/{filed}", headers=AUDITOR)
    assert (kept.status_code, kept.headers["content-type"]) == (200, "application/pdf")
    assert hashlib.sha256(kept.content).hexdigest() == filed
    assert sent["penalty_basis"] == "《强制性产品认证管理规定》第五十五条"
    view = await service.get(f"/cases/{number}")
    assert (view["status"], view["reported_on"], view["report_due_on"]) == (
        "closed",
        "2026-03-02",
        None,
    )
    assert (view["officer"], view["warnings"], view["penalty_amount"]) == ("officer-3", 1, 10_000)
    page = await service.get("/cases", status="closed", officer="officer-3")
    assert [c["case_number"] for c in page["items"]] == [number]
    paths = service.app.openapi()["paths"]
    # the access-control table is keyed by route name: one name per operation
    names = [op["summary"] for ops in paths.values() for op in ops.values()]
    assert len(names) == len(set(names)) > 25
    assert "/cases/{case_number}/referral/answer" in paths
    assert "/cases/{case_number}/extend-decision-deadline" in paths


async def test_bad_input_is_refused_and_changes_nothing(service: EnforcementService) -> None:
    code = credit_code()
    opened = await service.command(
        "/cases", {"subject_credit_code": code, "problem": "no_certificate"}
    )
    number = opened["aggregate_id"]
    before = service.event_count()
    refusals = [
        ("/cases", {"subject_credit_code": "short", "problem": "no_certificate"}, 422),
        ("/cases", {"subject_credit_code": code, "problem": "arson"}, 422),
        (f"/cases/{number}/drop", {"reason": ""}, 422),
        (f"/cases/{number}/register", {}, 409),  # assigned to no officer
        (f"/cases/{number}/penalty", penalty("ab" * 32), 409),
        ("/cases/CCC-2026-09999/investigate", {}, 404),
        ("/cases/not-a-number/investigate", {}, 422),
        (f"/cases/{number}/referral", {"to_jurisdiction": "32", "reason": "x"}, 422),
    ]
    for path, body, status in refusals:
        response = await service.http.post(path, json=body, headers=OFFICER)
        assert response.status_code == status, (path, response.text)
    response = await service.http.post(f"/cases/{number}/drop", json={"reason": "x"})
    assert response.status_code == 401  # no token, no command
    assert service.event_count() == before
    assert (await service.http.get("/cases/CCC-2026-09999", headers=AUDITOR)).status_code == 404
    dropped = await service.command(f"/cases/{number}/drop", {"reason": "not a catalogue product"})
    assert [e["event_type"] for e in dropped["events"]] == ["ClueDropped"]
    assert (await service.get(f"/cases/{number}"))["status"] == "dropped"


async def test_a_penalty_is_decided_only_on_a_decision_document_that_was_uploaded(
    service: EnforcementService,
) -> None:
    code = credit_code()
    opened = await service.command(
        "/cases", {"subject_credit_code": code, "problem": "mark_misuse"}
    )
    number = opened["aggregate_id"]
    await handled(service, number)
    await service.command(f"/cases/{number}/notify", {"intended": "fine 5,000 RMB"})
    document = b"%PDF-1.7 signed decision"
    sha256 = hashlib.sha256(document).hexdigest()
    fine = penalty(sha256, 5_000, basis_article="Order 117 art 53 para 2")
    before = service.event_count()
    refused = await service.http.post(f"/cases/{number}/penalty", json=fine, headers=OFFICER)
    assert refused.status_code == 409
    assert f"no decision document {sha256} was uploaded" in refused.json()["detail"]
    assert service.event_count() == before
    upload = {**OFFICER, "Content-Type": "application/pdf", "X-Filename": "decision-5.pdf"}
    stored = await service.http.post("/documents", content=document, headers=upload)
    assert stored.json()["stored"] is True
    assert (await service.http.post("/documents", content=document, headers=upload)).json()[
        "stored"
    ] is False
    await service.command(f"/cases/{number}/penalty", fine)
    await service.command(f"/cases/{number}/execute")
    await service.command(f"/cases/{number}/close")
    report = await service.get(f"/cases/{number}/cnca-report")
    assert report["case_description"].startswith(f"企业（名称未登记）（统一社会信用代码{code}）")
    assert "依据《强制性产品认证管理规定》第五十三条第二款罚款5,000元" in report["case_description"]
    await service.command(f"/cases/{number}/cnca-report", {})
    script = str(Path(sysconfig.get_path("scripts")) / "ccc-cnca-report")
    ran = await asyncio.to_thread(
        subprocess.run,
        [script, number, "--database-url", service.database_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["penalty_amount"] == 5_000
    assert cli.main(["CCC-2026-09999", "--database-url", service.database_url]) == 2


async def test_concurrent_openings_get_distinct_case_numbers(service: EnforcementService) -> None:
    body = {"subject_credit_code": credit_code(), "problem": "no_certificate"}
    opened = await asyncio.gather(*(service.command("/cases", body) for _ in range(8)))
    numbers = sorted(o["aggregate_id"] for o in opened)
    assert numbers == [f"CCC-2026-{i:05d}" for i in range(1, 9)]


async def test_only_the_assigned_officer_or_a_section_head_acts_on_a_case(
    service: EnforcementService,
) -> None:
    opened = await service.command(
        "/cases", {"subject_credit_code": credit_code(), "problem": "mark_misuse"}
    )
    number = opened["aggregate_id"]
    await handled(service, number)  # assigned to officer-3, registered, investigating
    other = actor_headers("case_officer", user_id="officer-8", name="王五")
    before = service.event_count()
    refused = await service.http.post(
        f"/cases/{number}/warning", json={"content": "停止使用"}, headers=other
    )
    assert refused.status_code == 403
    assert "assigned to officer-3" in refused.json()["detail"]
    assert service.event_count() == before
    warned = await service.command(f"/cases/{number}/warning", {"content": "停止使用"}, HEAD)
    assert [e["event_type"] for e in warned["events"]] == ["WarningIssued"]
    await service.command(f"/cases/{number}/guidance", {"content": "规范标志使用"})  # officer-3


async def test_a_case_against_a_wrong_credit_code_or_with_disagreeing_fields_is_refused(
    service: EnforcementService,
) -> None:
    before = service.event_count()
    wrong = "914403001922038217"  # GB 32100: the check character is 6, as the registry says
    refused = await service.http.post(
        "/cases", json={"subject_credit_code": wrong, "problem": "no_certificate"}, headers=OFFICER
    )
    assert refused.status_code == 422, refused.text
    assert "check character should be '6', not '7'" in refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "subject_credit_code"]
    staff_without_kind = {"subject_credit_code": credit_code(), "problem": "no_certificate",
                          "subject_kind": "enterprise", "subject_staff_name": "张三"}  # fmt: skip
    refused = await service.http.post("/cases", json=staff_without_kind, headers=OFFICER)
    assert refused.status_code == 422, refused.text  # was a 500: the command refused it late
    assert refused.json()["detail"][0]["loc"] == ["body", "subject_staff_name"]
    complaint = {"channel": "hotline", "subject_credit_code": credit_code(),
                 "problem": "mark_misuse", "description": "电话\x00投诉"}  # fmt: skip
    refused = await service.http.post("/complaints", json=complaint, headers=OFFICER)
    assert (refused.status_code, refused.json()["detail"][0]["loc"]) == (
        422, ["body", "description"],
    )  # fmt: skip
    assert service.event_count() == before
