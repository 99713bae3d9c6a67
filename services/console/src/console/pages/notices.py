"""Notices: the person's own inbox, and the bureau's outgoing notices for those who watch them."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from console.backend import Backend, RefusedError
from console.web import Person, check_csrf, current_person, redirect, render

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
Form = Annotated[dict[str, Any], Depends(check_csrf)]
NoticeId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_:\-]{1,128}$")]
WATCHERS = {"section_head", "admin", "auditor"}  # who follows every notice the bureau sends


@router.get("/notices", response_class=HTMLResponse)
async def notices(request: Request, person: Signed) -> HTMLResponse:
    """The person's inbox (newest first) and, for heads, admins and auditors, all notices."""
    backend: Backend = request.app.state.backend
    inbox = f"/inbox/staff:{person.user_id}"
    refusals: list[RefusedError] = []
    found: dict[str, Any] = {}

    async def fetch(key: str, path: str, **params: Any) -> None:
        try:
            found[key] = await backend.get("notification", path, person.token, **params)
        except RefusedError as refusal:
            refusals.append(refusal)

    calls = [fetch("inbox", inbox, limit=50)]
    if WATCHERS & set(person.roles):
        calls.append(fetch("sent", "/notifications", limit=50))
    await asyncio.gather(*calls)
    return render(
        request, "notices.html", person=person, refusals=refusals,
        inbox=found.get("inbox", {}).get("items", []),
        unread=found.get("inbox", {}).get("unread", 0),
        sent=found.get("sent", {}).get("items", []) if "sent" in found else None,
    )  # fmt: skip


@router.post("/notices/{notification_id}/read", response_model=None)
async def mark_read(
    request: Request, person: Signed, notification_id: NoticeId, _form: Form
) -> Response:
    """Mark one notice of the person's inbox read."""
    backend: Backend = request.app.state.backend
    path = f"/inbox/staff:{person.user_id}/{notification_id}/read"
    try:
        await backend.post("notification", path, person.token)
    except RefusedError as refusal:
        return render(request, "refusal.html", person=person, refusal=refusal,
                      status_code=refusal.status)  # fmt: skip
    return redirect("/notices")
