"""The quality dossier (质量档案) as a timeline: one entry per event about an enterprise.

Registry events enter it as they are appended; the other services' contract events enter it
from the subscription runner. Each entry keeps the source event's id, type and service, so an
auditor can follow it to the event itself. Bookkeeping events (``ViolationNoted``,
``CaseNoted``) are not entries: the source event they count is.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert

from ccc_shared.contracts import enforcement as enf
from ccc_shared.contracts import inspection as ins
from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.registry import (
    CertificateChange,
    CertificateRegistered,
    CustodianAssigned,
    EnterpriseClassified,
    EnterpriseProfileUpdated,
    EnterpriseRegistered,
    SpotCheckResultRecorded,
)
from ccc_shared.eventstore.envelope import RecordedEvent
from enterprise_registry.domain.enterprise_events import CreditRatingRecorded, QualityStatusRecorded
from enterprise_registry.projections.tables import dossier_entries

Entry = tuple[str, str, str]  # credit code, kind, summary
# The other services' events that enter a dossier (``outside_entry``): the registry's consumers
# read exactly these (a test keeps the list and the entries below together).
OUTSIDE_ENTRIES: tuple[type[EventData], ...] = (
    ins.InspectionScheduled,
    ins.InspectionCompleted,
    ins.InspectionCancelled,
    ins.FindingRecorded,
    ins.ViolationFound,
    ins.RectificationChecked,
    ins.CampaignProgressRecorded,
    enf.CaseOpened,
    enf.ComplaintReceived,
    enf.WarningIssued,
    enf.GuidanceGiven,
    enf.RectificationOrdered,
    enf.RectificationVerified,
    enf.PenaltyDecided,
    enf.CaseReferred,
    enf.CaseClosed,
    enf.CaseReportedToCNCA,
)


def entry_for(data: EventData) -> Entry | None:
    """Whose dossier an event belongs to, what kind of entry it is, and its one-line summary."""
    match data:
        case EnterpriseRegistered():
            return data.credit_code, "registration", f"registered as {data.name} ({data.region})"
        case EnterpriseProfileUpdated():
            changed = sorted(
                data.model_dump(exclude_none=True).keys() - {"credit_code", "updated_on"}
            )
            return data.credit_code, "profile", f"profile updated: {', '.join(changed)}"
        case EnterpriseClassified():
            reasons = "; ".join(data.reasons)
            old = data.old_class or "none"
            return data.credit_code, "classification", f"class {old} -> {data.new_class}: {reasons}"
        case CustodianAssigned():
            return data.credit_code, "custodian", f"dossier custodian is now {data.custodian_id}"
        case CreditRatingRecorded():
            return data.credit_code, "credit_rating", f"credit rating {data.rating} ({data.source})"
        case QualityStatusRecorded():
            return data.credit_code, "quality_status", f"quality {data.status} ({data.source})"
        case SpotCheckResultRecorded():
            result = "passed" if data.passed else f"failed: {', '.join(data.defects) or '-'}"
            summary = f"{data.level} spot check of {data.product_category} {result}"
            return data.credit_code, "spot_check", summary
        case CertificateRegistered():
            summary = f"certificate {data.certificate_number} ({data.product_category}) registered"
            return data.holder_credit_code, "certificate", summary
        case CertificateChange():
            verb = data.event_type.removeprefix("Certificate").lower()
            why = f"{getattr(data, 'reason_code', '')} ({data.article})"
            summary = f"certificate {data.certificate_number} {verb}: {why}"
            return data.holder_credit_code, "certificate", summary
        case _:
            return outside_entry(data)
    return None


def outside_entry(data: EventData) -> Entry | None:
    """The dossier entry of an inspection or enforcement event ("every check is recorded")."""
    match data:
        case ins.InspectionScheduled():
            summary = f"{data.kind} inspection {data.inspection_id} due {data.due_on}"
            return (
                data.enterprise_credit_code,
                "inspection",
                f"{summary}: {data.cause}".rstrip(": "),
            )
        case ins.InspectionCompleted():
            summary = (
                f"{data.kind} inspection {data.inspection_id} completed by"
                f" {', '.join(data.inspectors)}: {data.violations} violation(s),"
                f" {data.minor_findings} minor finding(s)"
            )
            return data.enterprise_credit_code, "inspection", summary
        case ins.InspectionCancelled():
            summary = f"{data.kind} inspection {data.inspection_id} cancelled: {data.reason}"
            return data.enterprise_credit_code, "inspection", summary
        case ins.FindingRecorded():
            return data.enterprise_credit_code, "finding", f"minor finding: {data.summary}"
        case ins.ViolationFound():
            summary = f"violation {data.violation_id}: {data.kind} ({data.article})"
            return data.enterprise_credit_code, "violation", summary
        case ins.RectificationChecked():
            result = "passed" if data.passed else "failed"
            summary = f"rectification check for case {data.case_number} {result}"
            return data.enterprise_credit_code, "rectification", summary
        case ins.CampaignProgressRecorded():
            summary = f"campaign {data.campaign_id}: {data.step}"
            return data.enterprise_credit_code, "campaign", summary
    return enforcement_entry(data)


def enforcement_entry(data: EventData) -> Entry | None:
    """The dossier entry of an enforcement event about an enterprise."""
    match data:
        case enf.CaseOpened():
            # the violation an inspection found names the case it led to
            led_from = (
                f"for violation {data.violation_id}" if data.violation_id else f"({data.source})"
            )
            summary = f"case {data.case_number} opened {led_from}: {data.problem}"
            return data.subject_credit_code, "case", summary
        case enf.ComplaintReceived():
            summary = f"complaint {data.complaint_id} ({data.channel}): {data.problem}"
            return data.subject_credit_code, "complaint", summary
        case enf.WarningIssued():
            summary = f"case {data.case_number}: warning ({data.article}): {data.content}"
            return data.subject_credit_code, "warning", summary
        case enf.GuidanceGiven():
            summary = f"case {data.case_number}: guidance: {data.content}"
            return data.subject_credit_code, "guidance", summary
        case enf.RectificationOrdered():
            summary = f"case {data.case_number}: rectify by {data.deadline}: {data.requirement}"
            return data.subject_credit_code, "rectification", summary
        case enf.RectificationVerified():
            result = "passed" if data.passed else "failed"
            summary = f"case {data.case_number}: rectification verified, {result}"
            return data.subject_credit_code, "rectification", summary
        case enf.PenaltyDecided():
            summary = (
                f"case {data.case_number}: {data.penalty_type} {data.amount} RMB"
                f" ({data.basis_article}), decision {data.decision_document_number}"
            )
            return data.subject_credit_code, "penalty", summary
        case enf.CaseReferred():
            summary = f"case {data.case_number} referred to bureau {data.to_jurisdiction}"
            return data.subject_credit_code, "case", summary
        case enf.CaseClosed():
            summary = f"case {data.case_number} closed on {data.closed_on}: {data.outcome}"
            return data.subject_credit_code, "case", summary
        case enf.CaseReportedToCNCA():
            summary = f"case {data.case_number} reported to the CNCA on {data.reported_on}"
            return data.subject_credit_code, "case", summary
    return None


def add_entries(events: Sequence[RecordedEvent], conn: Connection) -> None:
    """Enter the events that belong in a dossier, in the caller's transaction."""
    rows = []
    for event in events:
        entry = entry_for(event.data)
        if entry is None:
            continue
        credit_code, kind, summary = entry
        rows.append({
            "event_id": event.event_id, "credit_code": credit_code,
            "occurred_at": event.occurred_at, "kind": kind, "summary": summary,
            "source": event.source, "event_type": event.event_type,
            "aggregate_type": event.aggregate_type, "aggregate_id": event.aggregate_id,
        })  # fmt: skip
    if rows:
        conn.execute(insert(dossier_entries), rows)
