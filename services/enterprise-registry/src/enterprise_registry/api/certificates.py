"""HTTP routes for CCC certificates: register, the status changes of Order 117, renewal, scope."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from ccc_contracts import text
from ccc_contracts.registry import (
    CancellationReason,
    ReinstatementReason,
    RevocationReason,
    ScopeChangeReason,
    SuspensionReason,
)
from ccc_contracts.text import InputModel
from ccc_shared.runtime.http import App, CommandResult, Limit, Offset, run_command
from ccc_shared.runtime.problem import Refusal
from enterprise_registry.api.context import COMMAND_RESPONSES, Metadata, Store, not_found
from enterprise_registry.api.schemas import CertificateView
from enterprise_registry.domain.certificate_commands import (
    CancelCertificate,
    ChangeCertificateScope,
    RegisterCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    SuspendCertificate,
)
from enterprise_registry.projections import queries

router = APIRouter(tags=["certificates"])

NUMBER_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"  # a certificate number is a token of its subject
Number = Annotated[str, Path(pattern=NUMBER_PATTERN)]


class CertificateRegistration(RegisterCertificate):
    """An issued certificate to enter into the register (expiry defaults to 5 years, art 24)."""

    number: str = Field(pattern=NUMBER_PATTERN)


class StatusChangeBody(InputModel):
    """Why, and from which day (default: today); the article follows from the reason code."""

    reason: text.OptionalReason = ""
    effective_on: date | None = None


class Suspension(StatusChangeBody):
    """A suspension under one of the items of art 27."""

    reason_code: SuspensionReason


class Reinstatement(StatusChangeBody):
    """The cause of suspension is gone."""

    reason_code: ReinstatementReason


class Cancellation(StatusChangeBody):
    """A cancellation under one of the items of art 26."""

    reason_code: CancellationReason


class Revocation(StatusChangeBody):
    """A revocation under one of the items of art 28."""

    reason_code: RevocationReason


class ScopeChange(StatusChangeBody):
    """Models added to or removed from the certificate (art 25)."""

    reason_code: ScopeChangeReason
    models_added: tuple[text.ProductModel, ...] = Field(default=(), max_length=text.MAX_LIST_ITEMS)
    models_removed: tuple[text.ProductModel, ...] = Field(
        default=(), max_length=text.MAX_LIST_ITEMS
    )


@router.post("/certificates", status_code=201, responses=COMMAND_RESPONSES)
def register_certificate(
    registration: CertificateRegistration, app: App, metadata: Metadata
) -> CommandResult:
    """Enter an issued CCC certificate of a registered holder and certification body as valid.

    Keyed in by staff, a certificate must name what the register knows (refused with 422
    otherwise); only the CNCA feed may bring one first, and it shows on
    ``GET /certificates/unmatched`` until its holder and body are registered.
    """
    with app.store.reading() as conn:
        missing = queries.unknown_references(
            conn, registration.holder_credit_code, registration.certification_body
        )
    if missing:
        raise Refusal(422, [
            {"loc": ["body", field], "msg": message, "type": "unknown_reference"}
            for field, message in missing.items()
        ], code="certificate.unknown_reference")  # fmt: skip
    return run_command(app, RegisterCertificate(**registration.model_dump()), metadata)


class UnmatchedCertificate(BaseModel):
    """A certificate the feed brought whose holder or certification body is not registered."""

    number: str
    holder_credit_code: str
    certification_body: str
    status: str
    holder_missing: bool
    body_missing: bool


@router.get("/certificates/unmatched")
def unmatched_certificates(
    store: Store, limit: Limit = 50, offset: Offset = 0
) -> list[UnmatchedCertificate]:
    """The worklist of certificates whose holder or body the register lacks (register them)."""
    with store.reading() as conn:
        rows = queries.unmatched_certificates(conn, limit=limit, offset=offset)
    return [UnmatchedCertificate.model_validate(row) for row in rows]


@router.post("/certificates/{number}/suspend", responses=COMMAND_RESPONSES)
def suspend(number: Number, body: Suspension, app: App, metadata: Metadata) -> CommandResult:
    """Suspend a valid certificate (art 27)."""
    return run_command(app, SuspendCertificate(number=number, **body.model_dump()), metadata)


@router.post("/certificates/{number}/reinstate", responses=COMMAND_RESPONSES)
def reinstate(number: Number, body: Reinstatement, app: App, metadata: Metadata) -> CommandResult:
    """Make a suspended certificate valid again (art 27)."""
    return run_command(app, ReinstateCertificate(number=number, **body.model_dump()), metadata)


@router.post("/certificates/{number}/cancel", responses=COMMAND_RESPONSES)
def cancel(number: Number, body: Cancellation, app: App, metadata: Metadata) -> CommandResult:
    """Cancel a certificate (art 26)."""
    return run_command(app, CancelCertificate(number=number, **body.model_dump()), metadata)


@router.post("/certificates/{number}/revoke", responses=COMMAND_RESPONSES)
def revoke(number: Number, body: Revocation, app: App, metadata: Metadata) -> CommandResult:
    """Revoke a certificate (art 28)."""
    return run_command(app, RevokeCertificate(number=number, **body.model_dump()), metadata)


@router.post("/certificates/{number}/renew", responses=COMMAND_RESPONSES)
def renew(number: Number, body: StatusChangeBody, app: App, metadata: Metadata) -> CommandResult:
    """Extend a valid certificate by 5 years, applied for in the 90 days before expiry (art 24)."""
    return run_command(app, RenewCertificate(number=number, **body.model_dump()), metadata)


@router.post("/certificates/{number}/scope", responses=COMMAND_RESPONSES)
def change_scope(number: Number, body: ScopeChange, app: App, metadata: Metadata) -> CommandResult:
    """Add or remove the product models a valid certificate covers (art 25)."""
    return run_command(app, ChangeCertificateScope(number=number, **body.model_dump()), metadata)


@router.get("/certificates/{number}", responses={404: {"description": "Unknown certificate"}})
def get_certificate(number: Number, store: Store) -> CertificateView:
    """A certificate as the register holds it now."""
    with store.reading() as conn:
        row = queries.get_certificate(conn, number)
    if row is None:
        raise not_found(f"certificate {number}")
    return CertificateView.model_validate(row)
