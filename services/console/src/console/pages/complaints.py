"""Complaint intake (the hotline, letters, the web, referrals): every complaint is recorded.

The informant and their contact are confidential (Order 117 art 48): the enforcement service
seals them at rest and shows them only to the officer of the complaint's case; the console
shows whatever the service returns, masked or not, and keeps nothing.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ccc_contracts.enforcement import ComplaintChannel
from ccc_contracts.inspection import ViolationKind
from console.backend import Backend, RefusedError
from console.web import Person, check_csrf, current_person, redirect, render

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
Form = Annotated[dict[str, Any], Depends(check_csrf)]
CHANNELS: tuple[str, ...] = get_args(ComplaintChannel)
PROBLEMS: tuple[str, ...] = tuple(p for p in get_args(ViolationKind) if p != "external")
FIELDS = ("channel", "subject_credit_code", "problem", "description", "received_on",
          "informant", "informant_contact")  # fmt: skip


def intake_page(
    request: Request, person: Person, *, refusal: RefusedError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    """The intake form (refilled, with the refusal above it, when the service said no)."""
    return render(
        request, "complaint.html", person=person, channels=CHANNELS, problems=PROBLEMS,
        may=person.may("enforcement:receive_new_complaint"), refusal=refusal, form=form or {},
        status_code=refusal.status if refusal else 200,
    )  # fmt: skip


@router.get("/complaints/new", response_class=HTMLResponse)
def new_complaint(request: Request, person: Signed) -> HTMLResponse:
    """The complaint intake form."""
    return intake_page(request, person)


@router.post("/complaints", response_class=HTMLResponse, response_model=None)
async def receive_complaint(request: Request, person: Signed, form: Form) -> Response:
    """Record the complaint; go to the case it opened or joined."""
    backend: Backend = request.app.state.backend
    kept = {name: str(form.get(name, "")).strip() for name in FIELDS}
    body: dict[str, Any] = {name: value for name, value in kept.items() if value}
    body["subject_credit_code"] = kept["subject_credit_code"].upper()
    try:
        result = await backend.post("enforcement", "/complaints", person.token, body)
    except RefusedError as refusal:
        return intake_page(request, person, refusal=refusal, form=kept)
    return redirect(f"/cases/{result['case_number']}?done=complaint")
