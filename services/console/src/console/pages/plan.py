"""The patrol plan: every certified enterprise, its class and key flags, interval and next patrol.

The interval follows from the class and the three key points (key enterprises, products,
regions), as the inspection service's plan computes it; the console only shows it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from console.backend import Backend, RefusedError
from console.web import Person, current_person, render

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]


@router.get("/patrol-plan", response_class=HTMLResponse)
async def patrol_plan(request: Request, person: Signed) -> HTMLResponse:
    """The plan, the soonest due first."""
    backend: Backend = request.app.state.backend
    try:
        planned = await backend.get("inspection", "/patrol-plan", person.token)
    except RefusedError as refusal:
        return render(request, "refusal.html", person=person, refusal=refusal,
                      status_code=refusal.status)  # fmt: skip
    rows = sorted(planned, key=lambda row: (row["next_due"], row["credit_code"]))
    return render(request, "plan.html", person=person, rows=rows)
