"""My work: what is due today, overdue, or waiting for the signed-in person, by role."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from console.backend import Backend, RefusedError
from console.web import Person, clock, current_person, render

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
OPEN_INSPECTION = {"scheduled", "assigned", "started"}
FINAL_CASE = {"closed", "dropped"}


@dataclass
class Sorted:
    """One role's work split three ways (each a list of rows from a service)."""

    overdue: list[dict[str, Any]] = field(default_factory=list)
    due_today: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)


def sort_inspections(rows: list[dict[str, Any]], today: str) -> Sorted:
    """Open inspections: overdue, due today, the rest waiting (earliest due first)."""
    work = Sorted()
    for row in sorted(rows, key=lambda r: r["due_on"]):
        if row["status"] not in OPEN_INSPECTION:
            continue
        if row["overdue"]:
            work.overdue.append(row)
        elif row["due_on"] == today:
            work.due_today.append(row)
        else:
            work.waiting.append(row)
    return work


def case_due_on(row: dict[str, Any]) -> str | None:
    """The next date a case is due on: its next deadline, or the CNCA report once closed."""
    if row["status"] == "closed":
        return None if row.get("reported_on") else row.get("report_due_on")
    return None if row["status"] in FINAL_CASE else row.get("next_due_on")


def sort_cases(rows: list[dict[str, Any]], today: str) -> Sorted:
    """Cases with something left to do: overdue, due today, the rest waiting."""
    work = Sorted()
    pending = [row for row in rows if row["status"] not in FINAL_CASE or case_due_on(row)]
    for row in sorted(pending, key=lambda r: case_due_on(r) or "9999"):
        if row.get("overdue") or row.get("report_overdue"):
            work.overdue.append(row)
        elif case_due_on(row) == today:
            work.due_today.append(row)
        else:
            work.waiting.append(row)
    return work


@router.get("/", response_class=HTMLResponse)
async def my_work(request: Request, person: Signed) -> HTMLResponse:
    """The day's work of each of the person's roles."""
    backend: Backend = request.app.state.backend
    today = clock(request).astimezone(request.app.state.settings.zone()).date().isoformat()
    token = person.token
    sections: dict[str, Any] = {}
    refusals: list[RefusedError] = []

    async def fetch(key: str, service: str, path: str, **params: Any) -> None:
        try:
            sections[key] = await backend.get(service, path, token, **params)
        except RefusedError as refusal:
            refusals.append(refusal)

    calls = []
    if "inspector" in person.roles:
        calls.append(fetch("my_inspections", "inspection", "/inspections",
                           inspector=person.name, limit=200))  # fmt: skip
    if "case_officer" in person.roles:
        calls.append(fetch("my_cases", "enforcement", "/cases", officer=person.user_id, limit=200))
    if "section_head" in person.roles:
        calls += [
            fetch("overdue_cases", "enforcement", "/cases", overdue="true", limit=100),
            fetch("clues", "enforcement", "/cases", status="clue", limit=100),
            fetch("overdue_inspections", "inspection", "/inspections", overdue="true", limit=100),
            fetch("case_workload", "enforcement", "/workload"),
            fetch("inspection_workload", "inspection", "/workload"),
            fetch("dossiers", "registry", "/coverage"),
            fetch("patrols", "inspection", "/patrol-plan/coverage"),
            fetch("handling", "enforcement", "/figures"),
        ]
    await asyncio.gather(*calls)
    inspections = sort_inspections(sections.get("my_inspections", {}).get("items", []), today)
    cases = sort_cases(sections.get("my_cases", {}).get("items", []), today)
    unassigned = [row for row in sections.get("clues", {}).get("items", []) if not row["officer"]]
    return render(
        request, "work.html", person=person, inspections=inspections, cases=cases,
        overdue_cases=sections.get("overdue_cases", {}).get("items", []),
        overdue_inspections=sections.get("overdue_inspections", {}).get("items", []),
        unassigned=unassigned, case_workload=sections.get("case_workload", {}),
        inspection_workload=sections.get("inspection_workload", {}),
        refusals=refusals, due_on=case_due_on, figures=three_figures(sections),
    )  # fmt: skip


def three_figures(sections: dict[str, Any]) -> list[tuple[str, float, str]] | None:
    """The seed's three 100% figures (dossiers, patrols, handling): key, share, what of what."""
    dossiers, patrols = sections.get("dossiers"), sections.get("patrols")
    handling = sections.get("handling")
    if not (dossiers and patrols and handling):
        return None
    catalogue = dossiers["catalogue_enterprises"]
    planned = len(patrols["planned"])
    return [
        ("figures.dossiers", dossiers["covered"] / catalogue if catalogue else 1.0,
         f"{dossiers['covered']} / {catalogue}"),
        ("figures.patrols", patrols["share"], f"{len(patrols['as_planned'])} / {planned}"),
        ("figures.handling", handling["handling_rate"],
         f"{handling['violations_with_case']} / {handling['violations_seen']}"),
    ]  # fmt: skip
