"""The rules table: which event reaches whom, and when deadline reminders fire."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ccc_shared.handling import BUREAU_TIME
from notification.domain.rules import (
    Target,
    cancelled_series,
    consumed_event_types,
    deadlines_for,
    reminders,
    rules_for,
    template_params,
)

pytestmark = pytest.mark.unit
CODE = "91330100MA27XL0Y34"


def targets(event_type: str, data: dict[str, object]) -> dict[str, list[Target]]:
    return {rule.name: rule.targets(data) for rule in rules_for(event_type)}


def test_a_violation_goes_to_the_body_that_issued_the_certificate_it_names() -> None:
    data = {"enterprise_credit_code": CODE, "kind": "certificate_invalid",
            "certificate_number": "CERT-1"}  # fmt: skip
    assert targets("ViolationFound", data) == {
        "violation_to_certification_body": [Target("body_of_certificate", "CERT-1")],
        "external_violation_to_bureau": [],
    }


def test_a_violation_without_a_certificate_goes_to_every_body_of_the_maker() -> None:
    data = {"enterprise_credit_code": CODE, "kind": "no_certificate"}
    found = targets("ViolationFound", data)
    assert found["violation_to_certification_body"] == [Target("bodies_of_enterprise", CODE)]


def test_an_external_violation_also_goes_to_that_jurisdictions_bureau() -> None:
    data = {"enterprise_credit_code": CODE, "kind": "external",
            "external_jurisdiction": "440300"}  # fmt: skip
    found = targets("ViolationFound", data)
    assert found["external_violation_to_bureau"] == [Target("recipient", "bureau:440300")]


def test_a_referral_goes_to_the_bureau_it_names() -> None:
    found = targets("CaseReferred", {"case_number": "C-1", "to_jurisdiction": "310101"})
    assert found == {"referral_to_bureau": [Target("recipient", "bureau:310101")]}


@pytest.mark.parametrize(
    ("event_type", "status"),
    [("CertificateSuspended", "suspended"), ("CertificateRevoked", "revoked"),
     ("CertificateCancelled", "cancelled")],
)  # fmt: skip
def test_a_withdrawn_certificate_goes_to_the_dossier_custodian(
    event_type: str, status: str
) -> None:
    data = {"certificate_number": "CERT-1", "holder_credit_code": CODE}
    assert targets(event_type, data) == {
        "withdrawn_certificate_to_custodian": [Target("custodian_of_enterprise", CODE)]
    }
    assert template_params(event_type, data)["status"] == status


def test_assignments_reports_and_missed_deadlines() -> None:
    assert targets("CaseAssigned", {"case_number": "C-1", "officer": "officer-3"}) == {
        "assignment_to_assignee": [Target("staff", "officer-3")]
    }
    assert targets("CaseReportDue", {"case_number": "C-1"}) == {
        "report_due_to_officer": [Target("officer_of_case", "C-1")]
    }
    assert targets("CaseReportedToCNCA", {"case_number": "C-1"}) == {
        "report_to_cnca": [Target("recipient", "cnca")]
    }
    assert targets("DeadlineMissed", {"case_number": "C-1", "deadline": "rectification"}) == {
        "missed_deadline_to_section_head": [Target("recipient", "section_head")],
        "missed_deadline_to_officer": [Target("officer_of_case", "C-1")],
    }


def test_an_event_no_rule_names_sends_nothing() -> None:
    assert rules_for("InspectionCompleted") == []
    assert "InspectionCompleted" not in consumed_event_types()


def test_deadlines_start_and_end() -> None:
    assert [r.name for r in deadlines_for("CaseReportDue")] == ["cnca_report_deadline"]
    assert [r.name for r in deadlines_for("RectificationOrdered")] == ["rectification_deadline"]
    assert cancelled_series("CaseReportedToCNCA", {"case_number": "C-1"}) == ["cnca_report:C-1"]
    missed = {"case_number": "C-1", "deadline": "rectification"}
    assert cancelled_series("DeadlineMissed", missed) == ["rectification:C-1"]


def test_reminders_fire_before_on_and_after_the_due_day_at_the_hour() -> None:
    found = reminders(date(2026, 6, 10), [0, 3, -1, 3], 9, BUREAU_TIME)
    assert [(r.label, r.fire_at, r.escalate) for r in found] == [
        ("D-3", datetime(2026, 6, 7, 9, tzinfo=BUREAU_TIME), False),
        ("D", datetime(2026, 6, 10, 9, tzinfo=BUREAU_TIME), False),
        ("D+1", datetime(2026, 6, 11, 9, tzinfo=BUREAU_TIME), True),
    ]
