"""The seed's lifecycle, driven through the four services' HTTP APIs as the bureau's staff would.

A certification body suspends a certificate -> the inspection service schedules a surprise
inspection -> the inspector finds production going on -> ``ViolationFound`` -> the enforcement
service opens a case -> warning and penalty -> closure -> the CNCA report falls due and the
notification service tells the officer. Every step waits for the reaction it expects and says
what it is waiting for, so a broken link in the chain is named, not hung on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ccc_shared.demo.client import ServiceClient
from ccc_shared.demo.jurisdiction import BODIES, DemoEnterprise

T = TypeVar("T")
OFFICER = {"department": "稽查科", "officer": "officer-3", "officer_name": "李强"}
INSPECTOR = {"department": "监督科", "inspector": "王芳", "inspector_id": "inspector-7"}
CUSTODIAN = "inspector-7"
DELIVERED = ("sent", "delivered", "acknowledged")
PRODUCING = "证书暂停期间仍在生产"
MARKED = "产品已停止加施 3C 标志"
STOP = "立即停止生产、销售"


class LifecycleStalledError(RuntimeError):
    """A reaction the lifecycle waits for did not come in time."""


@dataclass(frozen=True)
class Services:
    """Clients of the four services."""

    registry: ServiceClient
    inspection: ServiceClient
    enforcement: ServiceClient
    notification: ServiceClient


@dataclass
class Lifecycle:
    """What one run of the lifecycle produced: ids to look things up by, and the steps taken."""

    enterprise: str
    certificate: str
    inspection_id: str = ""
    case_number: str = ""
    steps: list[str] = field(default_factory=list)


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    """Poll ``probe`` until it answers (not None); name ``what`` if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise LifecycleStalledError(f"waited {timeout:.0f}s for {what}")
        time.sleep(0.05)


def items(page: Any) -> list[dict[str, Any]]:
    """The rows of a paged answer (or the list itself)."""
    rows: list[dict[str, Any]] = page["items"] if isinstance(page, dict) else page
    return rows


def prepare_directory(notification: ServiceClient, division: str) -> None:
    """List who hears about what: bodies, staff, the section head, the CNCA, a neighbour bureau."""
    entries: dict[str, dict[str, Any]] = {
        "section_head": {"name": "陈静 (科长)"},
        "cnca": {"name": "国家认监委认证行政执法信息报送系统"},
        f"staff:{CUSTODIAN}": {"name": "王芳"},
        f"staff:{OFFICER['officer']}": {"name": OFFICER["officer_name"]},
        f"bureau:{division}": {"name": f"{division} 市场监督管理局"},
    }
    for body in BODIES:
        entries[f"certification_body:{body['code']}"] = {"name": body["name"]}
    for recipient, entry in entries.items():
        listed: dict[str, Any] = {**entry, "channels": [{"channel": "inbox"}]}
        notification.request("PUT", f"/directory/{recipient}", listed, role="admin")


def run_lifecycle(services: Services, enterprise: DemoEnterprise) -> Lifecycle:
    """Drive one enterprise through suspension, surprise inspection, case, penalty and report."""
    certificate = enterprise.certificates[0]
    run = Lifecycle(enterprise.credit_code, certificate["number"])
    registry, inspection = services.registry, services.inspection
    registry.post_once(
        f"/enterprises/{run.enterprise}/custodian", {"custodian_id": CUSTODIAN}, role="admin"
    )
    suspended = registry.post(
        f"/certificates/{run.certificate}/suspend",
        {"reason_code": "follow_up_refused_or_failed", "reason": "获证后监督检查不合格"},
        role="system",
    )
    cause = suspended["events"][0]["event_id"]
    run.steps.append(
        f"certificate {run.certificate} suspended by {certificate['certification_body']}"
    )

    run.inspection_id = wait_for(
        "the surprise inspection",
        lambda: _surprise_inspection(inspection, run.enterprise, cause),
    )
    run.steps.append(f"surprise inspection {run.inspection_id} scheduled")
    inspection.post(f"/inspections/{run.inspection_id}/assign", INSPECTOR, role="section_head")
    inspection.post(f"/inspections/{run.inspection_id}/start")
    model = certificate["models"][0]
    inspection.post(
        f"/inspections/{run.inspection_id}/complete",
        {
            "areas": [
                {"area": "purchasing", "result": "conforming"},
                {"area": "production", "result": "nonconforming", "notes": PRODUCING},
                {"area": "testing", "result": "conforming"},
                {"area": "warehousing", "result": "nonconforming", "notes": "成品库存 320 台"},
                {"area": "mark_use", "result": "conforming", "notes": MARKED},
            ],
            "products_seen": [
                {
                    "product_category": certificate["product_category"],
                    "model": model,
                    "certificate_number": run.certificate,
                }
            ],
            "inspectors": [INSPECTOR["inspector"], "赵敏"],
            "enterprise_feedback": "企业称未收到暂停通知",
        },
    )
    run.steps.append("production found going on: inspection completed with its patrol record")

    run.case_number = wait_for(
        "the case", lambda: _case_of(services.enforcement, run.enterprise, "certificate_invalid")
    )
    run.steps.append(f"violation found; case {run.case_number} opened")
    close_with_penalty(services.enforcement, run.case_number)
    run.steps.append("warning issued, fine decided and paid, case closed")
    wait_for(
        "the report-due notice to the officer",
        lambda: _notice(services.notification, f"staff:{OFFICER['officer']}", "report_due"),
    )
    run.steps.append("CNCA report due: the officer was notified")
    return run


def close_with_penalty(enforcement: ServiceClient, number: str) -> None:
    """Assign, register, investigate, warn, hear, fine, execute and close a case."""
    path = f"/cases/{number}"
    enforcement.post(f"{path}/assign", OFFICER, role="section_head")
    for step in ("register", "investigate"):
        enforcement.post(f"{path}/{step}", role="case_officer")
    enforcement.post(f"{path}/warning", {"content": "立即停止生产、销售"}, role="case_officer")
    enforcement.post(f"{path}/notify", {"intended": "罚款 50,000 元"}, role="case_officer")
    document = b"%PDF-1.7\n" + f"{number} 行政处罚决定书".encode()
    digest = hashlib.sha256(document).hexdigest()
    enforcement.upload("/documents", document, "application/pdf", role="case_officer")
    penalty = {
        "basis_article": "Order 117 art 51",
        "penalty_type": "fine",
        "amount": 50_000,
        # unique in the bureau: the case's year and sequence
        "decision_document_number": f"杭上市监罚〔{number[4:8]}〕{int(number[9:])}号",
        "decision_document_sha256": digest,
    }
    enforcement.post(f"{path}/penalty", penalty, role="case_officer")
    enforcement.post(f"{path}/execute", {"remarks": "罚款已缴清"}, role="case_officer")
    enforcement.post(f"{path}/close", role="case_officer")


def _surprise_inspection(inspection: ServiceClient, enterprise: str, cause: str) -> str | None:
    page = inspection.get(f"/inspections?enterprise={enterprise}")
    for row in items(page):
        if row["kind"] == "surprise" and row["inspection_id"].endswith(cause):
            inspection_id: str = row["inspection_id"]
            return inspection_id
    return None


def _case_of(enforcement: ServiceClient, enterprise: str, problem: str) -> str | None:
    for row in items(enforcement.get(f"/cases?subject={enterprise}&problem={problem}")):
        if row.get("source") == "violation":
            number: str = row["case_number"]
            return number
    return None


def _notice(notification: ServiceClient, recipient: str, rule_part: str) -> dict[str, Any] | None:
    """A notice by a rule to a recipient, once it has reached them (sent or delivered)."""
    for row in items(notification.get(f"/notifications?recipient={recipient}")):
        if rule_part in row["rule"] and row["status"] in DELIVERED:
            found: dict[str, Any] = row
            return found
    return None
