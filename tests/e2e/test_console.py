"""The console in a browser (Playwright driving Debian's Chromium) over the real services.

The four services run as processes on a private NATS and check people's tokens against the
console's published keys; the console runs as its own process. A certification body suspends a
certificate and a surprise inspection is scheduled; then, in the browser, the section head
assigns it, the inspector completes it with production found, a case opens, the section head
assigns the case, the case officer takes it through every step to closure and files the CNCA
report; and an inspector who forces a case action by URL is refused in Chinese.
Screenshots of each page are kept in ``var/screenshots/console/``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
DECISION_PDF = b"%PDF-1.4\n% \xe8\xa1\x8c\xe6\x94\xbf\xe5\xa4\x84\xe7\xbd\x9a\n%%EOF\n"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "console"
PASSWORDS = {
    "inspector": "pw-inspector-7",
    "case_officer": "pw-officer-3",
    "section_head": "pw-head-1",
    "admin": "pw-admin-1",
}


@dataclass
class Bureau:
    """The running system, its console's address, and the surprise inspection scheduled."""

    system: System
    console_url: str
    inspection_id: str
    enterprise: str
    certificate: dict[str, Any]

    def case_number(self) -> str:
        """The case the inspection's violation opened (waited for)."""
        enforcement = self.system.client("enforcement")

        def case() -> str | None:
            rows = items(enforcement.get(f"/cases?subject={self.enterprise}"))
            return next((r["case_number"] for r in rows if r["source"] == "violation"), None)

        return self.system.eventually(case, timeout=60)


@pytest.fixture
def bureau(embedded_nats: EmbeddedNats, tmp_path: Path) -> Iterator[Bureau]:
    """Services and console as processes, with a surprise inspection after a suspension."""
    users_file = tmp_path / "users.toml"
    write_users_file(users_file, demo_principals(), passwords=PASSWORDS)
    console_port = free_port_block(1)
    environment = {"AUTH_JWKS_URL": jwks_url(console_port), "AUTH_USERS_FILE": str(users_file)}
    with running_system(
        embedded_nats.url, tmp_path / "var", environment=environment, startup_timeout=180
    ) as system:
        log = (tmp_path / "var" / "logs" / "console.log").open("wb")
        console = start_service(
            CONSOLE, console_port, embedded_nats.url, tmp_path / "var",
            environment=console_environment(list(system.services.values()), users_file),
            output=log,
        )  # fmt: skip
        try:
            problem = wait_until_healthy([console], threading.Event(), 120)
            assert problem is None, problem
            yield surprise_inspection_after_suspension(system, console.url)
        finally:
            stop_services([console])
            log.close()


def surprise_inspection_after_suspension(system: System, console_url: str) -> Bureau:
    """A certification body suspends a certificate; the inspection service schedules a check."""
    registry, inspection = system.client("enterprise-registry"), system.client("inspection")
    jurisdiction = build_jurisdiction(4, today=date.today())
    load_jurisdiction(registry, jurisdiction)
    enterprise = next(e for e in jurisdiction.enterprises if e.certificates)
    certificate = enterprise.certificates[0]
    reason = {"reason_code": "follow_up_refused_or_failed", "reason": "获证后监督检查不合格"}
    registry.post(f"/certificates/{certificate['number']}/suspend", reason, role="system")
    code = enterprise.credit_code

    def surprise() -> str | None:
        rows = items(inspection.get(f"/inspections?enterprise={code}"))
        return next((r["inspection_id"] for r in rows if r["kind"] == "surprise"), None)

    inspection_id = system.eventually(surprise, timeout=60)
    return Bureau(system, console_url, inspection_id, code, certificate)


def complete_over_the_api(bureau: Bureau) -> None:
    """The inspector's work done without the browser (for tests about what comes after)."""
    inspection = bureau.system.client("inspection")
    path = f"/inspections/{bureau.inspection_id}"
    inspection.post(f"{path}/assign", INSPECTOR, role="section_head")
    inspection.post(f"{path}/start")
    areas = ["purchasing", "production", "testing", "warehousing", "mark_use"]
    record = {
        "areas": [{"area": a, "result": "nonconforming" if a == "production" else "conforming"}
                  for a in areas],
        "products_seen": [{"product_category": bureau.certificate["product_category"],
                           "model": bureau.certificate["models"][0],
                           "certificate_number": bureau.certificate["number"]}],
        "inspectors": [INSPECTOR["inspector"]],
    }  # fmt: skip
    inspection.post(f"{path}/complete", record)


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


def inspect_in_the_browser(browser: Browser, bureau: Bureau) -> None:
    """The section head assigns the surprise inspection; the inspector finds production going on."""
    inspection_path = f"{bureau.console_url}/inspections/{bureau.inspection_id}"
    head = signed_in(browser, bureau, "head-1", "section_head")
    head.goto(inspection_path)
    assign = head.locator("form[action$='/assign']")
    assign.locator("[name=department]").fill("监督科")
    assign.locator("[name=inspector]").fill("王芳")
    assign.locator("[name=inspector_id]").fill("inspector-7")
    assign.locator("button[type=submit]").click()
    expect(head.locator(".done")).to_contain_text("分派检查员")

    inspector = signed_in(browser, bureau, "inspector-7", "inspector")
    expect(inspector.locator("a", has_text=bureau.inspection_id[:24])).to_be_visible()
    shot(inspector, "inspector-my-work")
    inspector.goto(inspection_path)
    inspector.locator("form[action$='/start'] button").click()
    expect(inspector.locator(".done")).to_contain_text("开始检查")
    record = inspector.locator("form[action$='/complete']")
    record.locator("[name=production_result]").select_option("nonconforming")
    record.locator("[name=production_notes]").fill(PRODUCING)
    record.locator("[name=product_category]").fill(bureau.certificate["product_category"])
    record.locator("[name=model]").fill(bureau.certificate["models"][0])
    record.locator("[name=certificate_number]").fill(bureau.certificate["number"])
    record.locator("[name=enterprise_feedback]").fill("企业称未收到暂停通知")
    shot(inspector, "patrol-record-form")
    record.locator("button[type=submit]").click()
    expect(inspector.locator(".done")).to_contain_text("完成检查")
    expect(inspector.locator("body")).to_contain_text("违法 1 项")
    shot(inspector, "inspection-completed")


def decide_penalty(page: Page, document: Any) -> None:
    """Fill in the penalty decision with its document and submit it."""
    penalty = page.locator("form[action$='/penalty']")
    penalty.locator("[name=basis_article]").fill("Order 117 art 51")
    penalty.locator("[name=penalty_type]").select_option("fine")
    penalty.locator("[name=amount]").fill("50000")
    penalty.locator("[name=decision_document_number]").fill("杭上市监罚〔2026〕001号")
    penalty.locator("[name=decision_document]").set_input_files(document)
    penalty.locator("button[type=submit]").click()


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


def late_clue(bureau: Bureau) -> str:
    """A clue found 40 days ago and never decided on: its register decision is overdue."""
    found_on = (date.today() - timedelta(days=40)).isoformat()
    body = {"subject_credit_code": bureau.enterprise, "problem": "mark_misuse",
            "found_on": found_on}  # fmt: skip
    opened = bureau.system.client("enforcement").post("/cases", body, role="case_officer")
    return str(opened["aggregate_id"])


def see_the_figures(head: Page, bureau: Bureau) -> None:
    """The section head's dashboard: the three figures now and month by month, as charts."""
    head.click("nav >> text=数据看板")
    expect(head.locator("h1")).to_contain_text("三个百分之百")
    for title in ("质量档案建档率", "日常巡查按期完成率", "问题已作出处理决定的比例"):
        expect(head.locator(".figure-history h2", has_text=title)).to_be_visible()
    handling = head.locator("#figures-handling")
    expect(handling.locator("svg.chart").first).to_be_visible()
    expect(handling.locator("table")).to_contain_text("待分派")  # the clues nobody has yet
    expect(handling.locator("tr.late", has_text="待分派")).to_contain_text("0.0%")  # undecided
    expect(handling.locator("table")).to_contain_text(date.today().strftime("%Y-%m"))
    shot(head, "figures")
    head.click("text=English")
    expect(head.locator("#figures-patrols h2")).to_contain_text("Patrols done by their due day")
    head.click("text=中文")


def test_from_the_surprise_inspection_to_the_cnca_report_in_the_browser(
    bureau: Bureau, browser: Browser
) -> None:
    inspect_in_the_browser(browser, bureau)
    case_number = bureau.case_number()
    late = late_clue(bureau)
    case_path = f"{bureau.console_url}/cases/{case_number}"
    head = signed_in(browser, bureau, "head-1", "section_head")
    expect(head.locator(".figures")).to_contain_text("问题处理率")
    expect(head.locator("tr.late", has_text=late).first).to_be_visible()  # overdue, in red
    shot(head, "section-head-my-work")
    expect(head.locator("body")).to_contain_text(case_number)  # not yet assigned
    see_the_figures(head, bureau)
    head.goto(case_path)
    take_step(
        head, "assign", {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
    )
    shot(head, "case-assigned")

    officer = signed_in(browser, bureau, "officer-3", "case_officer")
    expect(officer.locator("a", has_text=case_number)).to_be_visible()
    shot(officer, "case-officer-my-work")
    officer.click(f"text={case_number}")
    expect(officer.locator("h1")).to_contain_text(case_number)
    shot(officer, "case-clue")
    register = officer.locator("form[action$='/register'] .law")
    expect(register).to_contain_text("15个工作日内决定是否立案")  # the law beside the form
    expect(register).to_contain_text("立案决定期限")
    take_step(officer, "register")
    take_step(officer, "investigate")
    take_step(officer, "warning", {"content": "立即停止生产、销售"})
    take_step(officer, "notify", {"intended": "罚款 50,000 元"})
    shot(officer, "case-notified")
    penalty_law = officer.locator("form[action$='/penalty'] .law")
    expect(penalty_law).to_contain_text("Order 117 art 51")  # production while suspended
    expect(penalty_law).to_contain_text("50,000 – 200,000 元")
    expect(penalty_law).to_contain_text("自立案之日起90日内作出决定")
    expect(penalty_law).to_contain_text("作出处理决定期限")
    decide_penalty(officer, {"name": "决定书.pdf", "mimeType": "application/pdf",
                             "buffer": "不是 PDF".encode()})  # fmt: skip
    expect(officer.locator(".refusal")).to_contain_text("文件类型不符合要求")
    decide_penalty(officer, {"name": "行政处罚决定书.pdf", "mimeType": "application/pdf",
                             "buffer": DECISION_PDF})  # fmt: skip
    expect(officer.locator(".done")).to_contain_text("作出处罚决定")
    take_step(officer, "execute", {"remarks": "罚款已缴清"})
    take_step(officer, "close")
    expect(officer.locator("h1 .status")).to_have_text("已结案")
    take_step(officer, "cnca_report", {"receipt": "CNCA-2026-0001"})
    expect(officer.locator(".timeline")).to_contain_text(f"case {case_number} closed")
    shot(officer, "case-reported")

    case = bureau.system.client("enforcement").get(f"/cases/{case_number}")
    assert (case["status"], case["penalty_amount"]) == ("closed", 50_000)
    assert case["officer"] == "officer-3"
    assert case["reported_on"] is not None
    officer.goto(f"{bureau.console_url}/enterprises/{bureau.enterprise}")
    expect(officer.locator(".timeline")).to_contain_text(f"case {case_number} closed")
    shot(officer, "enterprise-dossier")


def test_an_admin_sees_the_certification_bodys_suspension_arrive(
    bureau: Bureau, browser: Browser
) -> None:
    admin = signed_in(browser, bureau, "admin-1", "admin")
    number = bureau.certificate["number"]

    def arrived() -> bool | None:
        admin.goto(f"{bureau.console_url}/notices")
        return True if number in admin.locator("table").inner_text() else None

    bureau.system.eventually(arrived, timeout=30)
    expect(admin.locator("table")).to_contain_text(f"证书状态变更：{number}")
    shot(admin, "admin-notices")
    admin.goto(f"{bureau.console_url}/certificates/{number}")
    expect(admin.locator("h1 .status")).to_have_text("暂停")
    expect(admin.locator("form[action$='/reinstate']")).to_be_visible()
    expect(admin.locator(".timeline")).to_contain_text(f"certificate {number} suspended")
    shot(admin, "certificate-suspended")

    # the audit timeline from the streams: the suspension, and what it caused in other services
    admin.click("a.audit-link")
    expect(admin.locator("h1")).to_contain_text(f"审计时间线 证书 {number}")
    suspension = admin.locator("table.audit tr", has_text="CertificateSuspended")
    expect(suspension).to_contain_text("system:")  # who: the certification body's feed
    scheduled = admin.locator("table.audit tr", has_text="InspectionScheduled")
    expect(scheduled).to_contain_text("CCC_INSPECTION#")
    cause = scheduled.locator("a[href^='#event-']")  # caused by an event of this timeline
    expect(cause).to_be_visible()
    shot(admin, "audit-timeline")


def test_an_inspector_sees_no_case_actions_and_a_forced_one_is_refused_in_chinese(
    bureau: Bureau, browser: Browser
) -> None:
    complete_over_the_api(bureau)
    case_number = bureau.case_number()
    inspector = signed_in(browser, bureau, "inspector-7", "inspector")
    inspector.goto(f"{bureau.console_url}/cases/{case_number}")
    expect(inspector.locator("form[action*='/cases/']")).to_have_count(0)
    expect(inspector.locator("body")).to_contain_text("您的角色在本阶段没有可办理的事项")
    csrf = inspector.locator("input[name=csrf_token]").first.get_attribute("value")
    forced = inspector.request.post(
        f"{bureau.console_url}/cases/{case_number}/drop",
        form={"csrf_token": csrf or "", "reason": "强行操作"},
    )
    assert forced.status == 403
    assert "您的角色无权办理此事项" in forced.text()
    inspector.set_content(forced.text())
    shot(inspector, "inspector-refused")
    case = bureau.system.client("enforcement").get(f"/cases/{case_number}")
    assert case["status"] == "clue", "the service changed nothing"
    inspector.goto(f"{bureau.console_url}/cases/{case_number}")
    expect(inspector.locator("a.audit-link")).to_have_count(0)
    audit = inspector.request.get(f"{bureau.console_url}/audit/case/{case_number}")
    assert audit.status == 403
    assert "您的角色无权办理此事项" in audit.text()

    # the inspector records a hotline complaint; the informant stays hidden from them
    inspector.goto(f"{bureau.console_url}/complaints/new")
    intake = inspector.locator("form[action='/complaints']")
    intake.locator("[name=channel]").select_option("hotline")
    intake.locator("[name=subject_credit_code]").fill(bureau.enterprise)
    intake.locator("[name=problem]").select_option("mark_misuse")
    intake.locator("[name=description]").fill("市场上发现该企业产品冒用 3C 标志")
    intake.locator("[name=informant]").fill("张三")
    intake.locator("[name=informant_contact]").fill("13800000000")
    shot(inspector, "complaint-intake")
    intake.locator("button[type=submit]").click()
    expect(inspector.locator(".done")).to_contain_text("投诉已登记")
    expect(inspector.locator("body")).to_contain_text("市场上发现该企业产品冒用 3C 标志")
    expect(inspector.locator("body")).not_to_contain_text("张三")
    expect(inspector.locator("body")).not_to_contain_text("13800000000")
    shot(inspector, "complaint-case")

    inspector.goto(f"{bureau.console_url}/patrol-plan")
    expect(inspector.locator("table")).to_contain_text(bureau.enterprise)
    shot(inspector, "patrol-plan")
