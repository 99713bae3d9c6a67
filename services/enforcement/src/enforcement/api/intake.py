"""HTTP intake: complaints (every one leads to a case); documents are kept by ``documents``."""

from __future__ import annotations

from fastapi import APIRouter

from ccc_contracts.envelope import new_event_id
from ccc_shared.runtime.http import CommandResult
from ccc_shared.runtime.problem import Refusal
from enforcement.api.context import COMMAND_RESPONSES, App, Informants, Metadata
from enforcement.api.schemas import ComplaintResult, NewComplaint
from enforcement.application.complaints import receive_complaint
from enforcement.domain.complaints import Complaint

router = APIRouter(tags=["intake"])


@router.post("/complaints", status_code=201, responses=COMMAND_RESPONSES)
def receive_new_complaint(
    body: NewComplaint, app: App, informants: Informants, metadata: Metadata
) -> ComplaintResult:
    """Record a complaint (informant confidential, Order 117 art 48); it joins an open case
    about the same subject and problem, or opens a clue."""
    today = app.today()
    if body.received_on is not None and body.received_on > today:
        raise Refusal(
            422,
            f"a complaint cannot be received after today ({today})",
            code="complaint.received_in_future",
            fields=["received_on"],
        )
    complaint = Complaint(
        complaint_id=f"CMP-{new_event_id().hex}",
        channel=body.channel,
        subject_credit_code=body.subject_credit_code,
        problem=body.problem,
        description=body.description,
        received_on=body.received_on or today,
        informant=informants.seal(body.informant),  # only ciphertext is stored
        informant_contact=informants.seal(body.informant_contact),
    )
    received = receive_complaint(
        app, complaint, metadata,
        subject_kind=body.subject_kind, subject_staff_name=body.subject_staff_name,
        subject_name=body.subject_name, product=body.product,
    )  # fmt: skip
    result = CommandResult.of("complaint", received.complaint_id, received.events)
    return ComplaintResult(
        **result.model_dump(), case_number=received.case_number, joined=received.joined
    )
