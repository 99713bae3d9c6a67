"""HTTP intake: complaints (every one leads to a case) and decision documents kept by hash."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response

from ccc_shared.eventstore.envelope import new_event_id, utcnow
from ccc_shared.runtime.http import CommandResult
from enforcement.api.context import COMMAND_RESPONSES, App, Informants, Metadata
from enforcement.api.schemas import SHA256, ComplaintResult, DocumentStored, NewComplaint
from enforcement.application.complaints import receive_complaint
from enforcement.application.reporting import document_reference
from enforcement.domain.complaints import Complaint
from enforcement.projections.read_models import store_document
from enforcement.projections.tables import documents

router = APIRouter(tags=["intake"])
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@router.post("/complaints", status_code=201, responses=COMMAND_RESPONSES)
def receive_new_complaint(
    body: NewComplaint, app: App, informants: Informants, metadata: Metadata
) -> ComplaintResult:
    """Record a complaint (informant confidential, Order 117 art 48); it joins an open case
    about the same subject and problem, or opens a clue."""
    today = app.clock()
    if body.received_on is not None and body.received_on > today:
        raise HTTPException(422, f"a complaint cannot be received after today ({today})")
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
    )  # fmt: skip
    result = CommandResult.of("complaint", received.complaint_id, received.events)
    return ComplaintResult(
        **result.model_dump(), case_number=received.case_number, joined=received.joined
    )


@router.post(
    "/documents",
    status_code=201,
    responses=COMMAND_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/pdf": {}, "application/octet-stream": {}},
        }
    },
)
async def upload_decision_document(
    request: Request,
    app: App,
    metadata: Metadata,
    x_filename: Annotated[str, Header(min_length=1)] = "decision.pdf",
) -> DocumentStored:
    """Keep an electronic penalty decision document; its SHA-256 names it in the decision."""
    content = await request.body()
    if not content or len(content) > MAX_DOCUMENT_BYTES:
        raise HTTPException(422, f"a document is 1 byte to {MAX_DOCUMENT_BYTES} bytes")
    sha256 = hashlib.sha256(content).hexdigest()
    media_type = request.headers.get("content-type", "application/octet-stream")
    with app.store.transaction() as conn:
        stored = store_document(
            conn, sha256=sha256, filename=x_filename, media_type=media_type, content=content,
            stored_at=utcnow(), stored_by=metadata.actor.id,
        )  # fmt: skip
    return DocumentStored(
        sha256=sha256, size=len(content), file_reference=document_reference(sha256), stored=stored
    )


@router.get("/documents/{sha256}", responses={404: {"description": "Unknown document"}})
def download_decision_document(sha256: Annotated[str, Path(pattern=SHA256)], app: App) -> Response:
    """A stored decision document, as uploaded."""
    with app.store.reading() as conn:
        row = conn.execute(documents.select().where(documents.c.sha256 == sha256)).first()
    if row is None:
        raise HTTPException(404, f"no document {sha256}")
    disposition = {"Content-Disposition": f'attachment; filename="{row.filename}"'}
    return Response(row.content, media_type=row.media_type, headers=disposition)
