"""A case: its facts, its clock, and the next steps of the procedure as forms, in order.

Which steps the procedure allows now, and what the law says at each (articles, measures, fine
ranges, deadlines, the handling clock), come from the enforcement service's own tables
(``GET /cases/{n}/law``: its ``ALLOWED_FROM``, penalty table and clock), so there is one source;
the console only orders the steps and draws their forms. The service still decides, and its
refusal is shown.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from ccc_shared.contracts.enforcement import PenaltyType
from console.backend import Backend, RefusedError
from console.web import Person, check_csrf, current_person, redirect, render, timeline_of

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
Form = Annotated[dict[str, Any], Depends(check_csrf)]
CaseNumber = Annotated[str, Path(pattern=r"^CCC-\d{4}-\d{5,}$")]
NO_PENALTY_REASONS = ("not_established", "warning_sufficient", "rectified", "minor_guidance")


@dataclass(frozen=True)
class Field:
    """One input of a step's form: its name, kind (text, area, date, number, file, choice)."""

    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Step:
    """One procedural step: its route, the operation the access table names, and its form."""

    name: str
    path: str
    operation: str
    fields: tuple[Field, ...] = ()


PROCEDURE = (
    Step("assign", "assign", "assign_case",
         (Field("department"), Field("officer"), Field("officer_name", required=False))),
    Step("register", "register", "register_case"),
    Step("drop", "drop", "drop_clue", (Field("reason", "area"),)),
    Step("investigate", "investigate", "start_investigation"),
    Step("warning", "warning", "issue_warning", (Field("content", "area"),)),
    Step("guidance", "guidance", "give_guidance", (Field("content", "area"),)),
    Step("rectification", "rectification", "order_rectification",
         (Field("requirement", "area"), Field("deadline", "date"))),
    Step("notify", "notify", "notify_party", (Field("intended", "area"),)),
    Step("penalty", "penalty", "decide_penalty",
         (Field("basis_article"), Field("penalty_type", "choice", get_args(PenaltyType)),
          Field("amount", "number"), Field("goods_value", "number", required=False),
          Field("decision_document_number"),
          Field("decision_document", "file"))),
    Step("no_penalty", "no-penalty", "decide_no_penalty",
         (Field("reason_code", "choice", NO_PENALTY_REASONS),
          Field("reason", "area", required=False))),
    Step("execute", "execute", "execute_decision", (Field("remarks", "area", required=False),)),
    Step("close", "close", "close_case"),
    Step("cnca_report", "cnca-report", "record_cnca_report",
         (Field("case_description", "area", required=False), Field("receipt", required=False))),
)  # fmt: skip
STEPS = {step.name: step for step in PROCEDURE}
# The clock's date each step answers to (shown beside its form).
STEP_DEADLINES = {
    "assign": "register_decision_due_on",
    "register": "register_decision_due_on",
    "drop": "register_decision_due_on",
    "investigate": "decision_due_on",
    "warning": "decision_due_on",
    "guidance": "decision_due_on",
    "notify": "decision_due_on",
    "penalty": "decision_due_on",
    "no_penalty": "decision_due_on",
    "rectification": "rectification_deadline",
    "cnca_report": "report_due_on",
}
# The main path: the step that moves a case on from each status.
NEXT = {"registered": "investigate", "investigating": "notify", "notified": "penalty",
        "decided": "execute", "executed": "close", "closed": "cnca_report"}  # fmt: skip


def steps_now(
    case: dict[str, Any], person: Person, law: dict[str, Any]
) -> tuple[Step | None, list[Step]]:
    """The next step of the procedure and the others allowed now (as the service's ``law``
    says), that this person may take."""
    status = case["status"]
    allowed = law.get("steps", {})
    possible = [step for step in PROCEDURE if allowed.get(step.path, {}).get("allowed_now")]
    if status == "closed" and case.get("reported_on"):
        possible = []
    if status == "clue":
        main = "register" if case.get("officer") else "assign"
    else:
        main = NEXT.get(status, "")
    mine = [step for step in possible if person.may(f"enforcement:{step.operation}")]
    first = next((step for step in mine if step.name == main), None)
    return first, [step for step in mine if step is not first]


async def case_page(
    request: Request, person: Person, number: str, *, done: str = "",
    refusal: RefusedError | None = None, form: dict[str, Any] | None = None,
) -> HTMLResponse:  # fmt: skip
    """The case, its clock and its next steps (with a refusal shown above them)."""
    backend: Backend = request.app.state.backend
    try:
        case, law = await asyncio.gather(
            backend.get("enforcement", f"/cases/{number}", person.token),
            backend.get("enforcement", f"/cases/{number}/law", person.token),
        )
    except RefusedError as missing:
        return render(request, "refusal.html", person=person, refusal=missing,
                      status_code=missing.status)  # fmt: skip
    first, others = steps_now(case, person, law)
    entries = await timeline_of(request, person, case["subject_credit_code"], number)
    return render(
        request, "case.html", person=person, case=case, first=first, others=others,
        entries=entries, audit_path=f"/audit/case/{number}", law=law, deadline_of=STEP_DEADLINES,
        done=done if done in STEPS or done == "complaint" else "", refusal=refusal,
        form=form or {},
        status_code=refusal.status if refusal else 200,
    )  # fmt: skip


@router.get("/cases/{number}", response_class=HTMLResponse)
async def case(
    request: Request, person: Signed, number: CaseNumber, done: str = ""
) -> HTMLResponse:
    """A case with the next steps of its procedure."""
    return await case_page(request, person, number, done=done)


@router.post("/cases/{number}/{step_name}", response_class=HTMLResponse, response_model=None)
async def take_step(
    request: Request, person: Signed, number: CaseNumber, step_name: str, form: Form
) -> Response:
    """Send one step to the enforcement service; back to the case with its answer."""
    backend: Backend = request.app.state.backend
    step = STEPS.get(step_name)
    try:
        if step is None:
            raise RefusedError(404, "console", f"no step {step_name!r}", "")
        body = await step_body(backend, person, step, form)
        await backend.post("enforcement", f"/cases/{number}/{step.path}", person.token, body)
    except RefusedError as refusal:
        kept = {key: value for key, value in form.items() if isinstance(value, str)}
        return await case_page(request, person, number, refusal=refusal, form=kept)
    return redirect(f"/cases/{number}?done={step_name}")


async def step_body(
    backend: Backend, person: Person, step: Step, form: dict[str, Any]
) -> dict[str, Any] | None:
    """The JSON body of a step from its form (uploading a decision document first)."""
    if not step.fields:
        return None
    body: dict[str, Any] = {}
    for field in step.fields:
        value = form.get(field.name)
        if field.kind == "file":
            if not isinstance(value, UploadFile) or not value.filename:
                missing = "a decision document is needed"
                raise RefusedError(422, "console", missing, "", [field.name])
            content = await value.read()
            stored = await backend.upload(
                "enforcement", "/documents", person.token, content, value.filename,
                value.content_type or "application/octet-stream",
            )  # fmt: skip
            body["decision_document_sha256"] = (
                stored.get("sha256") or hashlib.sha256(content).hexdigest()
            )
            continue
        text = str(value or "").strip() if not isinstance(value, UploadFile) else ""
        if not text and not field.required:
            continue
        if field.kind == "number":
            if not text.isdigit():
                raise RefusedError(422, "console", f"{field.name} must be a whole number", "",
                              [field.name])  # fmt: skip
            body[field.name] = int(text)
        else:
            body[field.name] = text
    return body
