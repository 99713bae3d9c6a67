"""HTTP routes for kept documents: penalty decisions (PDF) and photos of evidence, by SHA-256.

An upload streams to a temporary file while it is hashed, so the service never holds it whole
while it arrives; the kernel cuts it off past ``max_upload_bytes`` (413). Its type comes from
its first bytes (``document_files``), checked as soon as they arrive: anything but a PDF, JPEG
or PNG, or a file that is not what its Content-Type says, is refused (415) before the rest is
read. It is served back as an attachment of its real type, under a safely encoded name.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO, Annotated, Any

import anyio
from fastapi import APIRouter, Header, HTTPException, Path, Request, Response

from ccc_contracts.envelope import utcnow
from ccc_shared.runtime.problem import Refusal
from enforcement.api.context import COMMAND_RESPONSES, App, Metadata
from enforcement.api.document_files import (
    KEPT_NAMES,
    KEPT_TYPES,
    SNIFF_BYTES,
    UNKNOWN_FILE,
    DocumentRefusedError,
    DocumentType,
    check_type,
    content_disposition,
    could_still_be_kept,
    detect_type,
    safe_filename,
    uploaded_filename,
)
from enforcement.api.schemas import SHA256, DocumentStored
from enforcement.application.reporting import document_reference
from enforcement.projections.read_models import store_document
from enforcement.projections.tables import documents

router = APIRouter(tags=["documents"])
UPLOAD_ROUTES = frozenset({"upload_decision_document"})  # bodies up to max_upload_bytes
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"The file itself: {KEPT_NAMES}, judged by its first bytes.",
        "content": {
            media_type: {"schema": {"type": "string", "format": "binary"}}
            for media_type in [t.media_type for t in KEPT_TYPES] + ["application/octet-stream"]
        },
    }
}
SERVED_SAFELY = {"Content-Security-Policy": "default-src 'none'; sandbox"}


@router.post(
    "/documents",
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    responses={
        **COMMAND_RESPONSES,
        415: {"description": f"Not a {KEPT_NAMES} by its first bytes, or not what was sent"},
    },
)
async def upload_decision_document(
    request: Request,
    app: App,
    metadata: Metadata,
    x_filename: Annotated[
        str,
        Header(
            min_length=1,
            max_length=1000,
            description="the file's name: UTF-8, or an RFC 8187 value (UTF-8''%E5%86%B3.pdf)",
        ),
    ] = "decision.pdf",
) -> DocumentStored:
    """Keep an electronic penalty decision document; its SHA-256 names it in the decision."""
    declared = request.headers.get("content-type", "")
    with tempfile.TemporaryFile(prefix="ccc-document-") as spool:
        sha256, size, kind = await _receive(request, spool, declared)
        name = safe_filename(uploaded_filename(x_filename.encode("latin-1")), kind)

        def keep() -> bool:
            spool.seek(0)
            with app.store.transaction() as conn:
                return store_document(
                    conn, sha256=sha256, filename=name, media_type=kind.media_type,
                    content=spool.read(), stored_at=utcnow(), stored_by=metadata.actor.id,
                )  # fmt: skip

        stored = await anyio.to_thread.run_sync(keep)
    return DocumentStored(
        sha256=sha256, size=size, file_reference=document_reference(sha256), stored=stored
    )


async def _receive(
    request: Request, spool: IO[bytes], declared: str
) -> tuple[str, int, DocumentType]:
    """Stream the body to ``spool`` while hashing it; refuse a wrong type at its first bytes."""
    digest = hashlib.sha256()
    head = b""
    kind: DocumentType | None = None
    size = 0

    def take(chunk: bytes) -> None:
        digest.update(chunk)
        spool.write(chunk)

    async for chunk in request.stream():
        if kind is None:
            head += chunk[: SNIFF_BYTES - len(head)]
            if len(head) == SNIFF_BYTES or not could_still_be_kept(head):
                kind = _checked(head, declared)
        size += len(chunk)
        await anyio.to_thread.run_sync(take, chunk)
    if size == 0:
        raise Refusal(422, "the document is empty", code="document.empty")
    return digest.hexdigest(), size, kind or _checked(head, declared)


def _checked(head: bytes, declared: str) -> DocumentType:
    """The file's kept type, or a 415 saying why not."""
    try:
        return check_type(head, declared)
    except DocumentRefusedError as refused:
        raise Refusal(415, str(refused), code="document.type_refused", fields=["file"]) from refused


@router.get("/documents/{sha256}", responses={404: {"description": "Unknown document"}})
def download_decision_document(sha256: Annotated[str, Path(pattern=SHA256)], app: App) -> Response:
    """A kept document, as an attachment of the type its first bytes show."""
    with app.store.reading() as conn:
        row = conn.execute(documents.select().where(documents.c.sha256 == sha256)).first()
    if row is None:
        raise HTTPException(404, f"no document {sha256}")
    kind = detect_type(bytes(row.content[:SNIFF_BYTES])) or UNKNOWN_FILE  # kept before checks
    headers = {"Content-Disposition": content_disposition(row.filename, kind), **SERVED_SAFELY}
    return Response(row.content, media_type=kind.media_type, headers=headers)
