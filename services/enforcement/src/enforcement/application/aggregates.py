"""Enforcement's three aggregates as data: stream name, key, commands, pure functions, read model.

Every command goes through the kernel's ``Application.execute``, from HTTP (its own
transaction) and from the subscription runner and the deadline sweep (their transaction,
passed as ``conn``). The working-day calendar is configuration, so the case aggregate is built
from the settings' holiday table (``aggregates(calendar)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Connection

from ccc_contracts.enforcement import PenaltyDecided
from ccc_contracts.envelope import RecordedEvent
from ccc_shared.domain import DomainError
from ccc_shared.handling import Aggregate
from enforcement.domain import cases, complaints, guidance
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_commands import CaseCommand, DecidePenalty, OpenCase
from enforcement.domain.case_state import Case
from enforcement.domain.case_state import evolve as evolve_case
from enforcement.domain.complaints import Complaint, ReceiveComplaint
from enforcement.domain.guidance import Guidance, RecordFindingGuidance
from enforcement.projections.read_models import (
    claim_decision_number,
    decision_number_holder,
    document_stored,
    save_case,
    save_complaint,
    save_guidance,
)

__all__ = ["COMPLAINT", "GUIDANCE", "aggregates", "case_aggregate"]


def _case_number(command: CaseCommand) -> str:
    return command.case_number


def _complaint_id(command: ReceiveComplaint) -> str:
    return command.complaint.complaint_id


def case_aggregate(calendar: WorkingCalendar) -> Aggregate[Case, CaseCommand]:
    """The case aggregate, deciding on the bureau's working-day calendar."""
    return Aggregate(
        name="case",
        noun="case",
        creation=OpenCase,
        key=_case_number,
        commands=(CaseCommand,),
        decide=partial(_decide_case, calendar=calendar),
        evolve=evolve_case,
        save=save_case,
        prepare=_with_records,
        also=_keep_decision_numbers,
    )


def _with_records(command: CaseCommand, state: Case | None, conn: Connection) -> CaseCommand:
    """A penalty decision completed with the records it is judged on: its document, its number."""
    if not isinstance(command, DecidePenalty):
        return command
    facts = {
        "document_uploaded": document_stored(conn, command.decision_document_sha256),
        "number_used_by": decision_number_holder(conn, command.decision_document_number),
    }
    return command.model_copy(update=facts)


def _keep_decision_numbers(recorded: Sequence[RecordedEvent], conn: Connection) -> None:
    """Register each decided penalty's number; one taken meanwhile by another case refuses all."""
    for event in recorded:
        data = event.data
        if isinstance(data, PenaltyDecided):
            number = data.decision_document_number
            holder = claim_decision_number(conn, number, data.case_number)
            if holder != data.case_number:
                raise DomainError(
                    f"case {data.case_number}: decision number {number} is already case"
                    f" {holder}'s; a decision number is unique in the bureau",
                    code="case.decision_number_taken",
                    fields=["decision_document_number"],
                )


def _decide_case(
    state: Case | None, command: CaseCommand, today: date, *, calendar: WorkingCalendar
) -> list[Any]:
    return list(cases.decide(state, command, today, calendar))


COMPLAINT: Aggregate[Complaint, ReceiveComplaint] = Aggregate(
    name="complaint",
    noun="complaint",
    creation=ReceiveComplaint,
    key=_complaint_id,
    decide=complaints.decide,
    evolve=complaints.evolve,
    save=save_complaint,
)


def _guidance_id(command: RecordFindingGuidance) -> str:
    return guidance.guidance_id(command.finding_id)


GUIDANCE: Aggregate[Guidance, RecordFindingGuidance] = Aggregate(
    name="guidance",
    noun="guidance record",
    creation=RecordFindingGuidance,
    key=_guidance_id,
    decide=guidance.decide,
    evolve=guidance.evolve,
    save=save_guidance,
)


def aggregates(calendar: WorkingCalendar) -> tuple[Aggregate[Any, Any], ...]:
    """Enforcement's aggregates, cases deciding on ``calendar``."""
    return (case_aggregate(calendar), COMPLAINT, GUIDANCE)
