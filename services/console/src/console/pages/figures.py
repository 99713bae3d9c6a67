"""The figures dashboard: the seed's three 100% figures now, and month by month per department.

Each service counts its own figure from its read models (``/figures/*-history``): dossiers kept
(by region: the register names custodians, not departments), patrols done as planned and
problems handled (by the department assigned). The console only lays them side by side and
draws them as server-rendered SVG bar charts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from console.backend import Backend, RefusedError
from console.charts import Chart, bar_chart, overall
from console.pages.work import three_figures
from console.web import Person, current_person, render

router = APIRouter()
Signed = Annotated[Person, Depends(current_person)]
MONTH_CHOICES = (3, 6, 12)
# figure key -> (service, its history path); the order the page shows them in
HISTORIES = {
    "figures.dossiers": ("registry", "/figures/dossier-history"),
    "figures.patrols": ("inspection", "/figures/patrol-history"),
    "figures.handling": ("enforcement", "/figures/handling-history"),
}
CURRENT = {
    "dossiers": ("registry", "/coverage"),
    "patrols": ("inspection", "/patrol-plan/coverage"),
    "handling": ("enforcement", "/figures"),
}


@dataclass(frozen=True)
class GroupRow:
    """One department (or region) of a figure: its months as a small chart, and its totals."""

    name: str | None
    chart: Chart
    total: int
    done: int


@dataclass(frozen=True)
class FigureHistory:
    """One figure over the months: the bureau's chart and one row per department."""

    key: str
    group_by: str
    months: list[str]
    chart: Chart
    rows: list[GroupRow]


def figure_history(key: str, answer: dict[str, Any]) -> FigureHistory:
    """A service's history answer as the page draws it."""
    rows = answer["rows"]
    group_by = answer["group_by"]
    return FigureHistory(
        key=key,
        group_by=group_by,
        months=answer["months"],
        chart=bar_chart(overall(rows, answer["months"])),
        rows=[
            GroupRow(row[group_by], bar_chart(row["months"], 260, 90), row["total"], row["done"])
            for row in rows
        ],
    )


@router.get("/figures", response_class=HTMLResponse)
async def figures(
    request: Request, person: Signed, months: Annotated[int, Query(ge=1, le=24)] = 6
) -> HTMLResponse:
    """The three figures today and their history per department over ``months`` months."""
    backend: Backend = request.app.state.backend
    answers: dict[str, Any] = {}
    refusals: list[RefusedError] = []

    async def fetch(key: str, service: str, path: str, **params: Any) -> None:
        try:
            answers[key] = await backend.get(service, path, person.token, **params)
        except RefusedError as refusal:
            refusals.append(refusal)

    await asyncio.gather(
        *(fetch(key, service, path) for key, (service, path) in CURRENT.items()),
        *(fetch(key, service, path, months=months)
          for key, (service, path) in HISTORIES.items()),
    )  # fmt: skip
    histories = [figure_history(key, answers[key]) for key in HISTORIES if key in answers]
    return render(
        request, "figures.html", person=person, figures=three_figures(answers),
        histories=histories, refusals=refusals, months=months, month_choices=MONTH_CHOICES,
    )  # fmt: skip
