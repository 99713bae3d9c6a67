"""Who hears about what: every rule from a published event to a notice, in one table.

Information notification (信息通报) as the seed's "five systems" ask it, plus the bureau's own
staff and the upward report: a violation goes to the certification body that certified the
enterprise; a violator outside the jurisdiction, or a referred case, to that bureau; a
certificate suspended, revoked or cancelled to the custodian of the holder's dossier; an
assignment to the assignee; a report falling due to the case officer, and the report itself to
the CNCA (within 20 days of closure); deadlines to the officer ahead of time and, once missed,
to the section head.

Rules match on the event type's name and read the payload as plain JSON, so an event a
publisher has not released yet costs nothing until it appears. Targets are descriptions
(``body_of_certificate``, ``officer_of_case``...) that the application resolves to directory
entries from its local facts; the rules themselves stay pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

Payload = Mapping[str, Any]
TargetKind = Literal[
    "recipient",  # a directory id as is: "cnca", "section_head", "bureau:330102"
    "staff",  # a user id: "staff:<id>"
    "body_of_certificate",  # the certification body that issued a certificate
    "bodies_of_enterprise",  # every body that certified an enterprise
    "custodian_of_enterprise",  # the staff member keeping an enterprise's dossier
    "officer_of_case",  # the officer a case is assigned to
]
SECTION_HEAD = "section_head"
CNCA = "cnca"


@dataclass(frozen=True)
class Target:
    """Whom a notice is for, before the directory and local facts name the recipient."""

    kind: TargetKind
    key: str


@dataclass(frozen=True)
class Rule:
    """An event type (or several) sends a notice, from a template, to each of its targets."""

    name: str
    event_types: tuple[str, ...]
    template: str
    targets: Callable[[Payload], list[Target]]


@dataclass(frozen=True)
class DeadlineRule:
    """An event sets a deadline: reminders before it, escalation after; ``series`` cancels it."""

    name: str
    event_type: str
    deadline: str
    due_field: str
    officer: Callable[[Payload], Target]
    series: Callable[[Payload], str]


def _violation_bodies(data: Payload) -> list[Target]:
    """The body that issued the certificate the violation names, else every body of the maker."""
    if data.get("certificate_number"):
        return [Target("body_of_certificate", data["certificate_number"])]
    return [Target("bodies_of_enterprise", data["enterprise_credit_code"])]


def _external_bureau(data: Payload) -> list[Target]:
    """The other jurisdiction's bureau, for a violator outside this one."""
    if data.get("kind") == "external" and data.get("external_jurisdiction"):
        return [Target("recipient", f"bureau:{data['external_jurisdiction']}")]
    return []


def _case_officer(data: Payload) -> Target:
    return Target("officer_of_case", data["case_number"])


RULES: tuple[Rule, ...] = (
    Rule("violation_to_certification_body", ("ViolationFound",), "violation_found",
         _violation_bodies),
    Rule("external_violation_to_bureau", ("ViolationFound",), "external_violation",
         _external_bureau),
    Rule("referral_to_bureau", ("CaseReferred",), "case_referred",
         lambda d: [Target("recipient", f"bureau:{d['to_jurisdiction']}")]),
    Rule("withdrawn_certificate_to_custodian",
         ("CertificateSuspended", "CertificateRevoked", "CertificateCancelled"),
         "certificate_withdrawn",
         lambda d: [Target("custodian_of_enterprise", d["holder_credit_code"])]),
    Rule("assignment_to_assignee", ("CaseAssigned",), "case_assigned",
         lambda d: [Target("staff", d["officer"])]),
    Rule("report_due_to_officer", ("CaseReportDue",), "report_due",
         lambda d: [_case_officer(d)]),
    Rule("report_to_cnca", ("CaseReportedToCNCA",), "cnca_report",
         lambda d: [Target("recipient", CNCA)]),
    Rule("missed_deadline_to_section_head", ("DeadlineMissed",), "deadline_missed",
         lambda d: [Target("recipient", SECTION_HEAD)]),
    Rule("missed_deadline_to_officer", ("DeadlineMissed",), "deadline_missed",
         lambda d: [_case_officer(d)]),
)  # fmt: skip

DEADLINES: tuple[DeadlineRule, ...] = (
    DeadlineRule("rectification_deadline", "RectificationOrdered", "rectification", "deadline",
                 _case_officer, lambda d: f"rectification:{d['case_number']}"),
    DeadlineRule("cnca_report_deadline", "CaseReportDue", "cnca_report", "report_due_on",
                 _case_officer, lambda d: f"cnca_report:{d['case_number']}"),
)  # fmt: skip

# Events that end a deadline's reminders: the act was done, or the publisher escalated itself.
CANCELS: dict[str, Callable[[Payload], list[str]]] = {
    "CaseReportedToCNCA": lambda d: [f"cnca_report:{d['case_number']}"],
    "RectificationVerified": lambda d: [f"rectification:{d['case_number']}"],
    "RectificationChecked": lambda d: [f"rectification:{d['case_number']}"],
    "CaseClosed": lambda d: [f"rectification:{d['case_number']}"],
    "DeadlineMissed": lambda d: [f"{d['deadline']}:{d['case_number']}"],
}

STATUS_OF_EVENT = {
    "CertificateSuspended": "suspended",
    "CertificateRevoked": "revoked",
    "CertificateCancelled": "cancelled",
}


def rules_for(event_type: str) -> list[Rule]:
    """The notice rules an event type triggers, in table order."""
    return [rule for rule in RULES if event_type in rule.event_types]


def deadlines_for(event_type: str) -> list[DeadlineRule]:
    """The deadline rules an event type starts."""
    return [rule for rule in DEADLINES if rule.event_type == event_type]


def cancelled_series(event_type: str, data: Payload) -> list[str]:
    """The deadline series an event ends (their pending reminders are dropped)."""
    cancel = CANCELS.get(event_type)
    return cancel(data) if cancel else []


def consumed_event_types() -> set[str]:
    """Every event type some rule reads."""
    types = {event_type for rule in RULES for event_type in rule.event_types}
    return types | {rule.event_type for rule in DEADLINES} | set(CANCELS)


def template_params(event_type: str, data: Payload) -> dict[str, Any]:
    """What a template may cite: the payload, plus the word for a certificate's new status."""
    params = dict(data)
    if event_type in STATUS_OF_EVENT:
        params["status"] = STATUS_OF_EVENT[event_type]
    return params


@dataclass(frozen=True)
class Reminder:
    """One reminder of a deadline: when it fires, and whether it escalates to the section head."""

    label: str  # "D-3", "D", "D+1": days from the due day
    fire_at: datetime
    escalate: bool


def reminders(
    due_on: date, offsets_days: Sequence[int], hour: int, zone: timezone
) -> list[Reminder]:
    """The reminders of a deadline: ``offsets_days`` before it (0: on the day, negative: after).

    A reminder fires at ``hour`` o'clock on the bureau's calendar; those after the due day go
    to the section head (escalation).
    """
    found = []
    for offset in sorted(set(offsets_days), reverse=True):
        day = due_on - timedelta(days=offset)
        label = "D" if offset == 0 else f"D-{offset}" if offset > 0 else f"D+{-offset}"
        fire_at = datetime.combine(day, time(hour=hour), tzinfo=zone)
        found.append(Reminder(label, fire_at, escalate=offset < 0))
    return found
