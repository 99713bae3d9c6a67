"""Complaints (informant masked but for the case's officer, joining open cases) and deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from enforcement_support import (
    HEAD,
    OFFICER,
    SYSTEM,
    Clock,
    EnforcementService,
    credit_code,
    eventually,
    handled,
    penalty,
)
from sqlalchemy import create_engine

from ccc_contracts.envelope import StreamId
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.testing.actors import actor_headers
from enforcement.main import Settings, create_app

pytestmark = pytest.mark.integration


async def test_a_complaint_is_masked_for_all_but_its_case_officer_and_joins_an_open_case(
    service: EnforcementService,
) -> None:
    code = credit_code()
    body = {
        "channel": "hotline",
        "subject_credit_code": code,
        "problem": "no_certificate",
        "description": "厂里的插座没有3C标志",
        "informant": "张三",
        "informant_contact": "13800000000",
    }
    first = await service.command("/complaints", body, actor_headers("inspector"))
    number, complaint_id = first["case_number"], first["aggregate_id"]
    assert first["joined"] is False
    assert [e["event_type"] for e in first["events"]] == [
        "ComplaintRecorded", "ComplaintReceived", "CaseOpened",
    ]  # fmt: skip
    everyone = [actor_headers(role) for role in ("inspector", "auditor", "admin", "system")]
    for headers in (*everyone, OFFICER, HEAD):  # no officer assigned yet: masked for all
        view = await service.get(f"/complaints/{complaint_id}", headers)
        assert (view["informant"], view["informant_contact"], view["masked"]) == (
            "***",
            "***",
            True,
        )
    assignment = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
    await service.command(f"/cases/{number}/assign", assignment, HEAD)
    full = await service.get(f"/complaints/{complaint_id}", OFFICER)
    assert (full["informant"], full["informant_contact"]) == ("张三", "13800000000")
    other_officer = actor_headers("case_officer", user_id="officer-9")
    assert (await service.get(f"/complaints/{complaint_id}", other_officer))["informant"] == "***"
    for role in ("section_head", "auditor", "admin", "inspector"):  # the officer's id, not role
        same_id = actor_headers(role, user_id="officer-3", name="李强")
        view = await service.get(f"/complaints/{complaint_id}", same_id)
        assert (view["informant"], view["informant_contact"]) == ("***", "***"), role
    assert (await service.get(f"/cases/{number}", OFFICER))["complaints"][0]["informant"] == "张三"
    assert (await service.get(f"/cases/{number}", HEAD))["complaints"][0]["informant"] == "***"

    future = {**body, "received_on": "2026-03-03"}
    assert (await service.http.post("/complaints", json=future, headers=OFFICER)).status_code == 422
    second = await service.command("/complaints", {**body, "channel": "web", "informant": None})
    assert (second["case_number"], second["joined"]) == (number, True)
    other = await service.command("/complaints", {**body, "problem": "mark_misuse"})
    assert other["case_number"] != number
    assert len((await service.get(f"/cases/{number}"))["complaints"]) == 2

    async def received() -> list[dict[str, Any]]:
        return [m for m in await service.published() if m["event_type"] == "ComplaintReceived"]

    published = await service.eventually(lambda: _at_least(received, 3))
    assert {m["data"]["informant"] for m in published} == {"***", None}
    assert "13800000000" not in str(await service.published())
    assert "ComplaintRecorded" not in {m["event_type"] for m in await service.published()}


async def _at_least(found: Any, count: int) -> Any:
    result = await found()
    return result if len(result) >= count else None


async def test_every_passed_deadline_is_recorded_once_and_counted(
    service: EnforcementService,
) -> None:
    code = credit_code()
    clue = await service.command(
        "/cases", {"subject_credit_code": code, "problem": "no_certificate"}
    )
    late_clue = clue["aggregate_id"]
    kept = await service.command("/cases", {"subject_credit_code": code, "problem": "mark_misuse"})
    number = kept["aggregate_id"]
    await handled(service, number)
    await service.command(f"/cases/{number}/notify", {"intended": "fine"})
    upload = {**OFFICER, "Content-Type": "application/pdf"}
    stored = await service.http.post("/documents", content=b"%PDF-1.7 decision", headers=upload)
    document = stored.json()["sha256"]
    await service.command(
        f"/cases/{number}/penalty",
        penalty(document, 10_000, basis_article="Order 117 art 53 para 2"),
    )
    await service.command(f"/cases/{number}/execute")
    await service.command(f"/cases/{number}/close")
    workload = await service.get("/workload", within_days=30)
    assert {(a["officer"], a["open"], a["due"]) for a in workload["assignees"]} == {(None, 1, 1)}

    service.clock.day = date(2026, 3, 25)  # register decision due 2026-03-23; report 2026-03-22
    refused = await service.http.post("/deadline-sweep", headers=HEAD)
    assert refused.status_code == 403  # a machine's (or admin's) job, not the head's
    swept = await service.command("/deadline-sweep", headers=SYSTEM)
    assert sorted((m["case_number"], m["deadline"]) for m in swept["missed"]) == [
        (late_clue, "register_decision"),
        (number, "cnca_report"),
    ]
    assert (await service.command("/deadline-sweep", headers=SYSTEM))["missed"] == []
    figures = await service.get("/figures")
    assert (figures["cases_overdue"], figures["reports_overdue"]) == (1, 1)
    overdue = await service.get("/cases", overdue=True)
    assert [c["case_number"] for c in overdue["items"]] == [late_clue]
    workload = await service.get("/workload")
    assert [(a["open"], a["overdue"]) for a in workload["assignees"]] == [(1, 1)]

    async def missed_published() -> list[dict[str, Any]] | None:
        found = [m for m in await service.published() if m["event_type"] == "DeadlineMissed"]
        return found if len(found) >= 2 else None

    published = await service.eventually(missed_published)
    assert len(published) == 2
    assert {m["data"]["escalated_to"] for m in published} == {"section_head"}
    assert {m["schema_version"] for m in published} == {2}
    missing = await service.http.get("/cases/CCC-2026-00001/cnca-report", headers=OFFICER)
    assert missing.status_code == 409  # a clue owes no report
    reported = await service.command(f"/cases/{number}/cnca-report", {"case_description": "x"})
    assert reported["events"][0]["event_type"] == "CaseReportedToCNCA"
    assert (await service.get("/figures"))["reports_overdue"] == 0


async def test_the_periodic_sweep_records_a_passed_deadline_on_its_own(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url,
        nats_url=embedded_nats.url,
        data_dir=tmp_path,
        deadline_sweep_minutes=0.002,  # every 0.12 s
    )
    clock = Clock(date(2026, 3, 2))
    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://enforcement") as http,
    ):
        body = {"subject_credit_code": credit_code(), "problem": "no_certificate"}
        opened = await http.post("/cases", json=body, headers=OFFICER)
        number = opened.json()["aggregate_id"]
        clock.day = date(2026, 3, 24)  # 15 working days from 2 March ended on 23 March
        store = app.state.kernel.store

        def missed(case_number: str) -> list[str]:
            return [e.event_type for e in store.load(StreamId("case", case_number))][1:]

        await eventually(lambda: missed(number))
        # a marker: a clue opened now, whose own deadline (15 April, after Qingming) the clock
        # then passes; once the sweep has recorded it, it has run rounds after the first record
        marker = (await http.post("/cases", json=body, headers=OFFICER)).json()["aggregate_id"]
        clock.day = date(2026, 4, 16)
        await eventually(lambda: missed(marker))
        assert missed(number) == ["DeadlineMissed"]
        (recorded,) = [e for e in store.load(StreamId("case", number)) if e.version == 2]
        assert (recorded.data.deadline, recorded.data.noticed_on) == (
            "register_decision",
            date(2026, 3, 24),
        )
        assert recorded.data.due_on == date(2026, 3, 23)


async def test_deadlines_follow_the_2026_holidays_and_the_calendar_names_missing_years(
    service: EnforcementService,
) -> None:
    service.clock.day = date(2026, 9, 30)  # the day before National Day
    clue = await service.command(
        "/cases", {"subject_credit_code": credit_code(), "problem": "no_certificate"}
    )
    case = await service.get(f"/cases/{clue['aggregate_id']}")
    # 15 working days: 1-7 Oct off, Saturday 10 Oct worked (weekends only would give 21 Oct)
    assert case["next_due_on"] == "2026-10-27"
    calendar = await service.get("/calendar")
    assert calendar["years"] == [2021, 2022, 2023, 2024, 2025, 2026]  # chinesecalendar 1.11
    assert (calendar["uncovered_years"], calendar["warning"]) == ([], None)

    service.clock.day = date(2026, 11, 27)  # deadlines set now reach into 2027
    calendar = await service.get("/calendar")
    assert calendar["uncovered_years"] == [2027]
    assert "no holiday table for 2027" in calendar["warning"]
    refused = await service.http.get("/calendar")
    assert refused.status_code == 401


async def test_informants_are_sealed_at_rest_and_opened_only_with_the_services_key(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    body = {"channel": "letter", "subject_credit_code": credit_code(), "problem": "mark_misuse",
            "description": "标志使用不规范", "informant": "王五",
            "informant_contact": "wangwu@example.cn"}  # fmt: skip
    assignment = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}

    async def officer_view(app_settings: Settings, write: bool) -> httpx.Response:
        app = create_app(app_settings, clock=Clock(date(2026, 3, 2)))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://enforcement") as http,
        ):
            if write:
                received = await http.post("/complaints", json=body, headers=OFFICER)
                number = received.json()["case_number"]
                await http.post(f"/cases/{number}/assign", json=assignment, headers=HEAD)
            page = (await http.get("/cases", headers=OFFICER)).json()
            number = page["items"][0]["case_number"]
            return await http.get(f"/cases/{number}", headers=OFFICER)

    first = await officer_view(settings, write=True)
    assert first.json()["complaints"][0]["informant"] == "王五"
    key_file = tmp_path / "informant.keys"
    assert key_file.stat().st_mode & 0o077 == 0  # the key is the owner's alone

    engine = create_engine(database_url)
    with engine.connect() as conn:  # the events, the hash chain's input and the read model
        stored = " ".join(
            str(row) for table in ("events", "enforcement_complaints")
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}")
        )  # fmt: skip
    engine.dispose()
    assert "sealed:v1:" in stored
    assert "王五" not in stored
    assert "wangwu@example.cn" not in stored

    again = await officer_view(settings, write=False)  # a restart reads the same key file
    assert again.json()["complaints"][0]["informant_contact"] == "wangwu@example.cn"

    other_key = Settings(
        database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path / "elsewhere",
        informant_keys=[Fernet.generate_key().decode()],
    )  # fmt: skip
    refused = await officer_view(other_key, write=False)
    assert refused.status_code == 503
    assert refused.json()["kind"] == "seal_key"
    rotated = Settings(
        database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path / "elsewhere",
        informant_keys=[Fernet.generate_key().decode(), key_file.read_text().strip()],
    )  # fmt: skip
    opened = await officer_view(rotated, write=False)  # a new first key, the old one still opens
    assert opened.json()["complaints"][0]["informant"] == "王五"
