"""The console in a browser (Playwright driving Debian's Chromium) over the real services.

The four services run as processes on a private NATS and check people's tokens against the
console's published keys; the console runs as its own process. A certification body suspends a
certificate, the inspector finds production going on, and a case opens; then, in the browser,
the section head assigns it, the case officer takes it through every step to closure and files
the CNCA report, and an inspector who forces a case action by URL is refused in Chinese.
Screenshots of each page are kept in ``var/screenshots/console/``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ccc_shared.demo.jurisdiction import build_jurisdiction
from ccc_shared.demo.lifecycle import INSPECTOR, PRODUCING, items
from ccc_shared.demo.load import load_jurisdiction
from ccc_shared.runtime.auth import demo_principals, write_users_file
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.launcher import (
    CONSOLE,
    console_environment,
    jwks_url,
    start_service,
    stop_services,
    wait_until_healthy,
)
from ccc_shared.testing.system import System, free_port_block, running_system

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "console"
PASSWORDS = {
    "inspector": "pw-inspector-7",
    "case_officer": "pw-officer-3",
    "section_head": "pw-head-1",
}


@dataclass
class Bureau:
    """The running system, its console's address, and the case the lifecycle opened."""

    system: System
    console_url: str
    case_number: str
    enterprise: str


@pytest.fixture
def bureau(embedded_nats: EmbeddedNats, tmp_path: Path) -> Iterator[Bureau]:
    """Services and console as processes, with a case opened by a surprise inspection's finding."""
    users_file = tmp_path / "users.toml"
    write_users_file(users_file, demo_principals(), passwords=PASSWORDS)
    console_port = free_port_block(1)
    environment = {"AUTH_JWKS_URL": jwks_url(console_port), "AUTH_USERS_FILE": str(users_file)}
    with running_system(embedded_nats.url, tmp_path / "var", environment=environment) as system:
        log = (tmp_path / "var" / "logs" / "console.log").open("wb")
        console = start_service(
            CONSOLE, console_port, embedded_nats.url, tmp_path / "var",
            environment=console_environment(list(system.services.values()), users_file),
            output=log,
        )  # fmt: skip
        try:
            problem = wait_until_healthy([console], threading.Event(), 120)
            assert problem is None, problem
            case_number, enterprise = open_case_by_surprise_inspection(system)
            yield Bureau(system, console.url, case_number, enterprise)
        finally:
            stop_services([console])
            log.close()


def open_case_by_surprise_inspection(system: System) -> tuple[str, str]:
    """Suspension -> surprise inspection -> production found -> a case (over the services' APIs)."""
    registry, inspection = system.client("enterprise-registry"), system.client("inspection")
    jurisdiction = build_jurisdiction(4, today=date.today())
    load_jurisdiction(registry, jurisdiction)
    enterprise = next(e for e in jurisdiction.enterprises if e.certificates)
    number = enterprise.certificates[0]["number"]
    reason = {"reason_code": "follow_up_refused_or_failed", "reason": "获证后监督检查不合格"}
    registry.post(f"/certificates/{number}/suspend", reason, role="system")
    code = enterprise.credit_code

    def surprise() -> str | None:
        rows = items(inspection.get(f"/inspections?enterprise={code}"))
        return next((r["inspection_id"] for r in rows if r["kind"] == "surprise"), None)

    inspection_id = system.eventually(surprise, timeout=60)
    path = f"/inspections/{inspection_id}"
    inspection.post(f"{path}/assign", INSPECTOR, role="section_head")
    inspection.post(f"{path}/start")
    areas = ["purchasing", "production", "testing", "warehousing", "mark_use"]
    record = {
        "areas": [
            {"area": a, "result": "nonconforming" if a == "production" else "conforming",
             **({"notes": PRODUCING} if a == "production" else {})}
            for a in areas
        ],
        "products_seen": [{"product_category": enterprise.certificates[0]["product_category"],
                           "model": enterprise.certificates[0]["models"][0],
                           "certificate_number": number}],
        "inspectors": [INSPECTOR["inspector"]],
    }  # fmt: skip
    inspection.post(f"{path}/complete", record)
    enforcement = system.client("enforcement")

    def case() -> str | None:
        rows = items(enforcement.get(f"/cases?subject={code}"))
        return next((r["case_number"] for r in rows if r["source"] == "violation"), None)

    return system.eventually(case, timeout=60), code


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser build)."""
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def signed_in(browser: Browser, bureau: Bureau, user_id: str, role: str) -> Page:
    """A tablet-sized page of a fresh browser context, signed in through the form."""
    context = browser.new_context(viewport={"width": 1024, "height": 1366}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{bureau.console_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    page.fill("input[name=user_id]", user_id)
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("form[action='/signin'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("我的工作")
    return page


def shot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def take_step(page: Page, step: str, fields: dict[str, str] | None = None) -> None:
    """Fill and submit one step's form on the case page, and see it done."""
    form = page.locator(f"form[action$='/{step}']")
    if not form.is_visible():
        page.locator("details summary").click()
    for name, value in (fields or {}).items():
        control = form.locator(f"[name={name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(".done")).to_contain_text("已办理")


def test_a_case_officer_takes_the_case_to_closure_and_the_cnca_report_in_the_browser(
    bureau: Bureau, browser: Browser
) -> None:
    case_path = f"{bureau.console_url}/cases/{bureau.case_number}"
    head = signed_in(browser, bureau, "head-1", "section_head")
    shot(head, "section-head-my-work")
    expect(head.locator("body")).to_contain_text(bureau.case_number)  # not yet assigned
    head.goto(case_path)
    take_step(
        head, "assign", {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
    )
    shot(head, "case-assigned")

    officer = signed_in(browser, bureau, "officer-3", "case_officer")
    expect(officer.locator("a", has_text=bureau.case_number)).to_be_visible()
    shot(officer, "case-officer-my-work")
    officer.click(f"text={bureau.case_number}")
    expect(officer.locator("h1")).to_contain_text(bureau.case_number)
    shot(officer, "case-clue")
    take_step(officer, "register")
    take_step(officer, "investigate")
    take_step(officer, "warning", {"content": "立即停止生产、销售"})
    take_step(officer, "notify", {"intended": "罚款 50,000 元"})
    shot(officer, "case-notified")
    penalty = officer.locator("form[action$='/penalty']")
    penalty.locator("[name=basis_article]").fill("Order 117 art 51")
    penalty.locator("[name=penalty_type]").select_option("fine")
    penalty.locator("[name=amount]").fill("50000")
    penalty.locator("[name=decision_document_number]").fill("杭上市监罚〔2026〕001号")
    penalty.locator("[name=decision_document]").set_input_files(
        {"name": "decision.pdf", "mimeType": "application/pdf", "buffer": "行政处罚决定书".encode()}
    )
    penalty.locator("button[type=submit]").click()
    expect(officer.locator(".done")).to_contain_text("作出处罚决定")
    take_step(officer, "execute", {"remarks": "罚款已缴清"})
    take_step(officer, "close")
    expect(officer.locator("h1 .status")).to_have_text("已结案")
    take_step(officer, "cnca_report", {"receipt": "CNCA-2026-0001"})
    shot(officer, "case-reported")

    case = bureau.system.client("enforcement").get(f"/cases/{bureau.case_number}")
    assert (case["status"], case["penalty_amount"], case["officer"]) == (
        "closed",
        50_000,
        "officer-3",
    )
    assert case["reported_on"] is not None
    officer.goto(f"{bureau.console_url}/enterprises/{bureau.enterprise}")
    expect(officer.locator(".timeline")).to_contain_text(f"case {bureau.case_number} closed")
    shot(officer, "enterprise-dossier")


def test_an_inspector_sees_no_case_actions_and_a_forced_one_is_refused_in_chinese(
    bureau: Bureau, browser: Browser
) -> None:
    inspector = signed_in(browser, bureau, "inspector-7", "inspector")
    inspector.goto(f"{bureau.console_url}/cases/{bureau.case_number}")
    expect(inspector.locator("form[action*='/cases/']")).to_have_count(0)
    expect(inspector.locator("body")).to_contain_text("您的角色在本阶段没有可办理的事项")
    csrf = inspector.locator("input[name=csrf_token]").first.get_attribute("value")
    forced = inspector.request.post(
        f"{bureau.console_url}/cases/{bureau.case_number}/drop",
        form={"csrf_token": csrf or "", "reason": "强行操作"},
    )
    assert forced.status == 403
    assert "您的角色无权办理此事项" in forced.text()
    inspector.set_content(forced.text())
    shot(inspector, "inspector-refused")
    case = bureau.system.client("enforcement").get(f"/cases/{bureau.case_number}")
    assert case["status"] == "clue", "the service changed nothing"
