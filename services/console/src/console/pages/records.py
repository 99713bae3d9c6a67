"""Search, an enterprise with its dossier timeline, a certificate with its status actions."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ccc_shared.contracts import registry as registry_contracts
from console.backend import Backend, RefusedError
from console.web import Person, check_csrf, current_person, redirect, render, timeline_of

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
Form = Annotated[dict[str, Any], Depends(check_csrf)]
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
CASE_NUMBER = re.compile(r"^[A-Z]+-\d{4}-\d+$")
# A certificate's status actions and the grounds the CCC regulation gives for each (arts 26-28).
CERTIFICATE_ACTIONS: dict[str, tuple[str, ...]] = {
    "suspend": get_args(registry_contracts.SuspensionReason),
    "reinstate": get_args(registry_contracts.ReinstatementReason),
    "cancel": get_args(registry_contracts.CancellationReason),
    "revoke": get_args(registry_contracts.RevocationReason),
}
ACTIONS_FROM = {
    "valid": ("suspend", "cancel", "revoke"),
    "suspended": ("reinstate", "cancel", "revoke"),
}
Number = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9\-]+$")]
CreditCode = Annotated[str, Path(min_length=18, max_length=18, pattern=r"^[0-9A-Z]{18}$")]


def backend_of(request: Request) -> Backend:
    """The services' client."""
    backend: Backend = request.app.state.backend
    return backend


@router.get("/search", response_class=HTMLResponse, response_model=None)
async def search(
    request: Request,
    person: Signed,
    q: Annotated[str, Query(max_length=64)] = "",
    region: Annotated[str, Query(max_length=64)] = "",
    supervision_class: Annotated[str, Query(pattern=r"^[ABCD]?$")] = "",
    certificate_status: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    """Go straight to the enterprise, certificate or case a code names; else filter enterprises."""
    text = q.strip().upper()
    if CREDIT_CODE.match(text):
        return redirect(f"/enterprises/{text}")
    if CASE_NUMBER.match(text):
        return redirect(f"/cases/{text}")
    if text:
        return redirect(f"/certificates/{q.strip()}")
    page: dict[str, Any] | None = None
    refusal = None
    if region or supervision_class or certificate_status:
        try:
            page = await backend_of(request).get(
                "registry", "/enterprises", person.token, region=region,
                supervision_class=supervision_class, certificate_status=certificate_status,
                limit=100,
            )  # fmt: skip
        except RefusedError as error:
            refusal = error
    return render(
        request, "search.html", person=person, page=page, refusal=refusal, q=q, region=region,
        supervision_class=supervision_class, certificate_status=certificate_status,
    )  # fmt: skip


@router.get("/enterprises/{credit_code}", response_class=HTMLResponse)
async def enterprise(request: Request, person: Signed, credit_code: CreditCode) -> HTMLResponse:
    """An enterprise, its certificates and cases, and its dossier across every service."""
    backend, token = backend_of(request), person.token
    try:
        found, dossier, cases = await asyncio.gather(
            backend.get("registry", f"/enterprises/{credit_code}", token),
            backend.get("registry", f"/enterprises/{credit_code}/dossier", token),
            backend.get("enforcement", "/cases", token, subject=credit_code, limit=100),
        )
    except RefusedError as refusal:
        return render(request, "refusal.html", person=person, refusal=refusal,
                      status_code=refusal.status)  # fmt: skip
    return render(
        request, "enterprise.html", person=person, enterprise=found,
        entries=list(reversed(dossier["entries"])), cases=cases["items"],
        audit_path=f"/audit/enterprise/{credit_code}",
    )  # fmt: skip


@router.get("/certificates/{number}", response_class=HTMLResponse)
async def certificate(
    request: Request, person: Signed, number: Number, done: str = ""
) -> HTMLResponse:
    """A certificate and the status actions this person's role may take on it."""
    try:
        found = await backend_of(request).get("registry", f"/certificates/{number}", person.token)
    except RefusedError as refusal:
        return render(request, "refusal.html", person=person, refusal=refusal,
                      status_code=refusal.status)  # fmt: skip
    entries = await timeline_of(request, person, found["holder_credit_code"], number)
    return certificate_page(request, person, found, done=done, entries=entries)


def certificate_page(
    request: Request,
    person: Person,
    found: dict[str, Any],
    *,
    done: str = "",
    refusal: RefusedError | None = None,
    entries: list[Any] | None = None,
) -> HTMLResponse:
    """The certificate page, with the actions its status allows and the person's role may take."""
    actions = [
        (action, CERTIFICATE_ACTIONS[action])
        for action in ACTIONS_FROM.get(found["status"], ())
        if person.may(f"registry:{action}")
    ]
    return render(
        request, "certificate.html", person=person, certificate=found, actions=actions,
        done=done if done in CERTIFICATE_ACTIONS else "", refusal=refusal, entries=entries or [],
        audit_path=f"/audit/certificate/{found['number']}",
        status_code=refusal.status if refusal else 200,
    )  # fmt: skip


@router.post("/certificates/{number}/{action}", response_class=HTMLResponse, response_model=None)
async def change_certificate(
    request: Request, person: Signed, number: Number, action: str, form: Form
) -> Response:
    """Ask the registry to suspend, reinstate, cancel or revoke; show its refusal if it says no."""
    backend = backend_of(request)
    body = {"reason_code": form.get("reason_code", ""), "reason": form.get("reason", "")}
    try:
        if action not in CERTIFICATE_ACTIONS:
            raise RefusedError(404, "console", f"no certificate action {action!r}", "")
        await backend.post("registry", f"/certificates/{number}/{action}", person.token, body)
    except RefusedError as refusal:
        try:
            found = await backend.get("registry", f"/certificates/{number}", person.token)
        except RefusedError as missing:
            return render(request, "refusal.html", person=person, refusal=missing,
                          status_code=missing.status)  # fmt: skip
        return certificate_page(request, person, found, refusal=refusal)
    return redirect(f"/certificates/{number}?done={action}")
