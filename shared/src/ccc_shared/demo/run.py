"""``make demo``: load the demo jurisdiction, drive the lifecycle once, print what happened.

Safe to run again on the same data folder: the jurisdiction loads only what is missing, and
the lifecycle runs only while the demo enterprise's certificate is still valid; a second run
prints the same timeline and figures from what the services hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from ccc_shared.demo.client import ServiceClient
from ccc_shared.demo.jurisdiction import NEIGHBOUR_DIVISION, build_jurisdiction
from ccc_shared.demo.lifecycle import (
    INSPECTOR,
    Services,
    items,
    prepare_directory,
    run_lifecycle,
)
from ccc_shared.demo.load import load_jurisdiction

DEMO_SIZE = 36
BUREAU_ZONE = "Asia/Shanghai"  # the banner's times are the bureau's, with the zone named
AREAS = ("purchasing", "production", "testing", "warehousing", "mark_use")
CLEAN_RECORD = {
    "areas": [{"area": area, "result": "conforming"} for area in AREAS],
    "inspectors": [INSPECTOR["inspector"]],
    "enterprise_feedback": "希望加强政策宣讲",
}
SERVICE_NAMES = ("enterprise-registry", "inspection", "enforcement", "notification")


def bearer(tokens: Mapping[str, str]) -> Any:
    """Credentials for the demo's clients: the token of the role a request is made in."""

    def headers(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers


def run_demo(urls: Mapping[str, str], tokens: Mapping[str, str], out: TextIO) -> None:
    """Load the jurisdiction, run the lifecycle if not run yet, print the timeline and figures."""
    credentials = bearer(tokens)
    services = Services(*(ServiceClient(urls[name], credentials) for name in SERVICE_NAMES))
    jurisdiction = build_jurisdiction(DEMO_SIZE, today=date(2026, 11, 1))
    created = load_jurisdiction(services.registry, jurisdiction)
    certificates = len(jurisdiction.certificates())
    print(
        f"demo jurisdiction: {len(jurisdiction.enterprises)} enterprises, {certificates}"
        f" certificates ({created} newly registered)",
        file=out,
    )
    prepare_directory(services.notification, NEIGHBOUR_DIVISION)
    services.inspection.post("/patrol-plan/run", role="system")
    enterprise = next(e for e in jurisdiction.enterprises if e.certificates)
    number = enterprise.certificates[0]["number"]
    status = services.registry.get(f"/certificates/{number}")["status"]
    if status == "valid":
        patrolled = patrol_most(services.inspection, skip=enterprise.credit_code)
        print(f"daily patrols recorded: {patrolled}", file=out)
        run = run_lifecycle(services, enterprise)
        print("\nthe lifecycle, step by step:", file=out)
        for step in run.steps:
            print(f"  - {step}", file=out)
    else:
        print(f"\n(lifecycle already run: certificate {number} is {status})", file=out)
    print_dossier(services.registry, enterprise.credit_code, out)
    print_figures(services, out)


def patrol_most(inspection: ServiceClient, skip: str, share: float = 0.8) -> int:
    """Complete a clean daily patrol for most enterprises with a patrol due (the rest stay due)."""
    page = inspection.get("/inspections?status=scheduled&limit=500")
    due = [row for row in items(page) if row["kind"] == "patrol"]
    due = [row for row in due if row["enterprise_credit_code"] != skip]
    done = 0
    for row in due[: int(len(due) * share)]:
        path = f"/inspections/{row['inspection_id']}"
        inspection.post(f"{path}/assign", INSPECTOR, role="section_head")
        inspection.post(f"{path}/start")
        inspection.post(f"{path}/complete", CLEAN_RECORD)
        done += 1
    return done


def print_dossier(registry: ServiceClient, credit_code: str, out: TextIO) -> None:
    """The enterprise's dossier: every service's events about it, in the order they happened."""
    dossier = registry.get(f"/enterprises/{credit_code}/dossier")
    print(f"\ndossier of {credit_code}, across all services (times in {BUREAU_ZONE}):", file=out)
    for entry in dossier["entries"]:
        occurred = datetime.fromisoformat(entry["occurred_at"].replace("Z", "+00:00"))
        moment = occurred.astimezone(ZoneInfo(BUREAU_ZONE)).strftime("%Y-%m-%d %H:%M:%S")
        print(f"  {moment}  {entry['source']:<19} {entry['summary']}", file=out)


def print_figures(services: Services, out: TextIO) -> None:
    """The three 100% figures: dossiers, patrols, handling."""
    coverage = services.registry.get("/coverage")
    patrols = services.inspection.get("/patrol-plan/coverage")
    handling = services.enforcement.get("/figures")
    catalogue = coverage["catalogue_enterprises"] or 1
    print("\nthe three 100% figures:", file=out)
    print(
        f"  dossiers  {coverage['covered'] / catalogue:6.1%}  ({coverage['covered']} of"
        f" {coverage['catalogue_enterprises']} catalogue enterprises with a kept dossier)",
        file=out,
    )
    print(
        f"  patrols   {patrols['share']:6.1%}  ({len(patrols['as_planned'])} of"
        f" {len(patrols['planned'])} planned this period; {len(patrols['overdue'])} overdue)",
        file=out,
    )
    print(
        f"  handling  {handling['handling_rate']:6.1%}  ({handling['violations_with_case']} of"
        f" {handling['violations_seen']} violations with a case; {handling['cases_closed']} of"
        f" {handling['cases']} cases closed)",
        file=out,
    )
