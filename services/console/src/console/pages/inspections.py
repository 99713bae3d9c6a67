"""An inspection: assign it, start it, and complete it with the patrol record's five areas.

The record form follows 《强制性产品认证生产企业日常巡查记录表》: purchasing, production, testing,
warehousing and use of the 3C mark, each conforming or not (or not applicable) with notes; the
products seen on site; the enterprise's opinions; industry-wide problems. The inspection
service decides what the answers mean (a violation, a minor finding) and refuses what its
rules do not allow.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from ccc_contracts.inspection import AreaResult, PatrolArea
from console.backend import Backend, RefusedError
from console.web import Person, check_csrf, current_person, redirect, render, timeline_of

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
Form = Annotated[dict[str, Any], Depends(check_csrf)]
InspectionId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,128}$")]
AREAS: tuple[str, ...] = get_args(PatrolArea)
RESULTS: tuple[str, ...] = get_args(AreaResult)
# What each action needs the inspection to be (the inspection service's ALLOWED_FROM).
ACTIONS = {
    "assign": ({"scheduled", "assigned"}, "inspection:assign_inspection"),
    "start": ({"assigned"}, "inspection:start_inspection"),
    "complete": ({"started"}, "inspection:complete_inspection"),
}


async def inspection_page(
    request: Request, person: Person, inspection_id: str, *, done: str = "",
    refusal: RefusedError | None = None,
) -> HTMLResponse:  # fmt: skip
    """The inspection with the actions its status allows and the person's role may take."""
    backend: Backend = request.app.state.backend
    try:
        found = await backend.get("inspection", f"/inspections/{inspection_id}", person.token)
    except RefusedError as missing:
        return render(request, "refusal.html", person=person, refusal=missing,
                      status_code=missing.status)  # fmt: skip
    entries = await timeline_of(request, person, found["enterprise_credit_code"], inspection_id)
    actions = [
        name for name, (statuses, operation) in ACTIONS.items()
        if found["status"] in statuses and person.may(operation)
    ]  # fmt: skip
    return render(
        request, "inspection.html", person=person, inspection=found, actions=actions,
        areas=AREAS, results=RESULTS, entries=entries, done=done if done in ACTIONS else "",
        refusal=refusal,
        status_code=refusal.status if refusal else 200,
    )  # fmt: skip


@router.get("/inspections/{inspection_id}", response_class=HTMLResponse)
async def inspection(
    request: Request, person: Signed, inspection_id: InspectionId, done: str = ""
) -> HTMLResponse:
    """One inspection and what may be done with it now."""
    return await inspection_page(request, person, inspection_id, done=done)


@router.post(
    "/inspections/{inspection_id}/{action}", response_class=HTMLResponse, response_model=None
)
async def act(
    request: Request, person: Signed, inspection_id: InspectionId, action: str, form: Form
) -> Response:
    """Send assign, start or complete to the inspection service; show its refusal if it says no."""
    backend: Backend = request.app.state.backend
    try:
        if action not in ACTIONS:
            raise RefusedError(404, "console", f"no inspection action {action!r}", "")
        body = action_body(action, form, person)
        path = f"/inspections/{inspection_id}/{action}"
        await backend.post("inspection", path, person.token, body)
    except RefusedError as refusal:
        return await inspection_page(request, person, inspection_id, refusal=refusal)
    return redirect(f"/inspections/{inspection_id}?done={action}")


def text(form: dict[str, Any], name: str) -> str:
    """A form field as trimmed text (empty when missing or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def action_body(action: str, form: dict[str, Any], person: Person) -> dict[str, Any] | None:
    """The JSON body of an inspection action from its form."""
    if action == "start":
        return None
    if action == "assign":
        body = {"department": text(form, "department"), "inspector": text(form, "inspector")}
        return {**body, "inspector_id": text(form, "inspector_id") or None}
    areas = [
        {"area": area, "result": text(form, f"{area}_result"), "notes": text(form, f"{area}_notes")}
        for area in AREAS
    ]
    products = []
    if text(form, "product_category") and text(form, "model"):
        products.append({
            "product_category": text(form, "product_category"),
            "model": text(form, "model"),
            "certificate_number": text(form, "certificate_number") or None,
        })  # fmt: skip
    names = [name.strip() for name in text(form, "inspectors").replace("，", ",").split(",")]
    return {
        "areas": areas,
        "products_seen": products,
        "inspectors": [name for name in names if name] or [person.name],
        "enterprise_feedback": text(form, "enterprise_feedback"),
        "industry_problems": text(form, "industry_problems"),
    }
