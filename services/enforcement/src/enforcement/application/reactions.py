"""Reactions to inspection's contract events: cases for violations, verifications, guidance.

``REACTIONS`` is the table the kernel subscribes from (the consumer reads exactly these types).
The subscription runner runs them once per event inside its transaction; the case
opened, the violation remembered as seen, the runner's processed id and checkpoint commit
together. The case is derived from the violation id (``enforcement_violations`` maps each
violation to its one case, keyed by the violation id), so the same violation delivered again,
even under another event id or past the runner's ledger, finds its case and opens no other.
"""

from __future__ import annotations

from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy import Connection

from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.inspection import FindingRecorded, RectificationChecked, ViolationFound
from ccc_shared.domain import DomainError
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.handling import bureau_day
from ccc_shared.service import Reaction
from enforcement.application.app import Enforcement
from enforcement.application.reconciliation import violation_case
from enforcement.domain.case_commands import ReferCase, VerifyRectification
from enforcement.domain.guidance import RecordFindingGuidance
from enforcement.projections.read_models import case_of_violation, record_violation

log = structlog.get_logger("enforcement.reactions")


def when_violation_found_open_case(
    app: Enforcement, event: RecordedEvent, conn: Connection
) -> None:
    """Exactly one case per violation; an outside violator's case is referred at once."""
    data = event.data
    assert isinstance(data, ViolationFound)
    seen, _case = case_of_violation(conn, data.violation_id)
    if seen:
        log.info("violation already has its case", violation_id=data.violation_id)
        return
    metadata = app.caused_by(event)
    fields = violation_case(
        violation_id=data.violation_id,
        enterprise_credit_code=data.enterprise_credit_code,
        kind=data.kind,
        certificate_number=data.certificate_number,
        # found when inspection recorded it, even if delivered here later (never after today)
        found_on=min(bureau_day(event.occurred_at), app.today()),
    )
    seen_as: dict[str, Any] = {
        "violation_id": data.violation_id,
        "kind": data.kind,
        "enterprise_credit_code": data.enterprise_credit_code,
        "event_id": event.event_id,
        "received_on": app.today(),
    }
    savepoint = conn.begin_nested()
    try:
        number, _events = app.open_case(fields, metadata, conn)
        if data.kind == "external" and data.external_jurisdiction:
            reason = f"violator outside the jurisdiction ({data.article})"
            if data.found_at:
                reason += f"; found at {data.found_at}"
            refer = ReferCase(
                case_number=number, to_jurisdiction=data.external_jurisdiction, reason=reason
            )
            app.execute(refer, metadata, conn=conn)
    except (DomainError, ValidationError) as error:
        # kept as seen without a case: the reconciliation shows it until an officer opens
        # its case (reconciliation.py)
        savepoint.rollback()
        log.error("no case for violation", violation_id=data.violation_id, error=str(error))
        record_violation(conn, **seen_as, case_number=None, problem=str(error))
        return
    savepoint.commit()
    record_violation(conn, **seen_as, case_number=number)


def when_rectification_checked_verify_it(
    app: Enforcement, event: RecordedEvent, conn: Connection
) -> None:
    """The check verifies the case's open order; a failed one escalates the case.

    A check older than the open order (an earlier order's check delivered again) is not
    this order's verification, and a check with no open order is logged and left.
    """
    data = event.data
    assert isinstance(data, RectificationChecked)
    state = app.case_state(data.case_number, conn)
    ordered_on = None if state is None else state.rectification_ordered_on
    if ordered_on is None or data.checked_on < ordered_on:
        log.warning(
            "rectification check without an open order",
            case_number=data.case_number,
            inspection_id=data.inspection_id,
            checked_on=str(data.checked_on),
        )
        return
    remarks = f"inspection {data.inspection_id} on {data.checked_on}: {data.notes}".strip()
    command = VerifyRectification(
        case_number=data.case_number, passed=data.passed, remarks=remarks.rstrip(": ")
    )
    app.execute(command, app.caused_by(event), conn=conn)


def when_minor_finding_recorded_record_guidance(
    app: Enforcement, event: RecordedEvent, conn: Connection
) -> None:
    """A minor finding was handled by guidance: keep it as handled (once per finding)."""
    data = event.data
    assert isinstance(data, FindingRecorded)
    command = RecordFindingGuidance(
        finding_id=data.finding_id,
        inspection_id=data.inspection_id,
        subject_credit_code=data.enterprise_credit_code,
        area=data.area,
        content=data.summary,
    )
    app.execute(command, app.caused_by(event), conn=conn)


REACTIONS: dict[type[EventData] | str, tuple[Reaction, ...]] = {
    ViolationFound: (when_violation_found_open_case,),
    RectificationChecked: (when_rectification_checked_verify_it,),
    FindingRecorded: (when_minor_finding_recorded_record_guidance,),
}
