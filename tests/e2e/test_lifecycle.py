"""The seed's lifecycle end to end, through the four services as separate processes.

A certification body suspends a certificate; the inspection service schedules a surprise
inspection; the inspector finds production going on; that is a violation; enforcement opens a
case, warns, fines and closes it; the CNCA report falls due and the officer is told. Each step
is asserted through the services' HTTP APIs and, for the public record, through the streams.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from ccc_shared.demo.jurisdiction import NEIGHBOUR_DIVISION, build_jurisdiction
from ccc_shared.demo.lifecycle import (
    OFFICER,
    Services,
    items,
    prepare_directory,
    run_lifecycle,
    wait_for,
)
from ccc_shared.demo.load import load_jurisdiction
from ccc_shared.testing.system import System

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

DOSSIER_ORDER = [
    "EnterpriseRegistered",
    "CertificateRegistered",
    "CertificateSuspended",
    "InspectionScheduled",
    "InspectionCompleted",
    "ViolationFound",
    "CaseOpened",
    "WarningIssued",
    "PenaltyDecided",
    "CaseClosed",
]


def services_of(system: System) -> Services:
    """Clients of the four running services."""
    names = ("enterprise-registry", "inspection", "enforcement", "notification")
    return Services(*(system.client(name) for name in names))


def test_the_lifecycle_from_suspension_to_the_cnca_report_notice(system: System) -> None:
    services = services_of(system)
    jurisdiction = build_jurisdiction(8, today=date.today())
    assert load_jurisdiction(services.registry, jurisdiction) > 8
    assert load_jurisdiction(services.registry, jurisdiction) == 0, "a reload changes nothing"
    prepare_directory(services.notification, NEIGHBOUR_DIVISION)
    enterprise = next(e for e in jurisdiction.enterprises if e.certificates)

    run = run_lifecycle(services, enterprise)

    # inspection: the surprise inspection is completed with its violation
    inspection = services.inspection.get(f"/inspections/{run.inspection_id}")
    assert (inspection["kind"], inspection["status"]) == ("surprise", "completed")
    assert run.certificate in inspection["cause"]
    # enforcement: one case for the violation, closed with the fine; nothing unhandled
    case = services.enforcement.get(f"/cases/{run.case_number}")
    assert (case["status"], case["problem"], case["penalty_amount"]) == (
        "closed",
        "certificate_invalid",
        50_000,
    )
    assert case["report_due_on"] is not None
    reconciliation = services.enforcement.get("/reconciliation")
    assert reconciliation["violations_without_case"] == []
    # notification: the custodian heard of the suspension, the body of the violation
    notices = {
        (n["recipient"], n["rule"]) for n in items(services.notification.get("/notifications"))
    }
    assert ("staff:inspector-7", "withdrawn_certificate_to_custodian") in notices
    assert ("certification_body:CCCF", "violation_to_certification_body") in notices or (
        "certification_body:CQC",
        "violation_to_certification_body",
    ) in notices
    assert (f"staff:{OFFICER['officer']}", "report_due_to_officer") in notices

    # registry: the dossier holds every step, in the order they happened (the registry takes
    # the closure in from the bus on its own time: the officer's notice may come first)
    def dossier_types() -> list[str] | None:
        dossier = services.registry.get(f"/enterprises/{run.enterprise}/dossier")
        types = [entry["event_type"] for entry in dossier["entries"]]
        return types if "CaseClosed" in types else None

    types = wait_for("the closure in the enterprise's dossier", dossier_types)
    steps = [t for t in types if t in DOSSIER_ORDER]
    assert sorted(set(steps), key=steps.index) == DOSSIER_ORDER, types

    # the public record: the auditors' timeline read from the four streams tells the same story
    timeline = subprocess.run(
        [sys.executable, "-m", "ccc_audit.cli", "timeline", "--enterprise", run.enterprise,
         "--format", "jsonl", "--nats", system.nats_url],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert timeline.returncode == 0, timeline.stderr
    streamed = [
        json.loads(line)["envelope"] for line in timeline.stdout.splitlines() if line.strip()
    ]
    sources = {row["source"] for row in streamed}
    assert sources >= {"enterprise-registry", "inspection", "enforcement"}
    streamed_types = [row["event_type"] for row in streamed]
    ordered = [t for t in streamed_types if t in DOSSIER_ORDER]
    assert sorted(set(ordered), key=ordered.index) == DOSSIER_ORDER, streamed_types
