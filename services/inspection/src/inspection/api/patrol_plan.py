"""HTTP routes for "100% patrols": the plan, running it now, coverage of a period, workload."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from ccc_shared.runtime.http import application
from ccc_shared.runtime.problem import Refusal
from inspection.api.context import Store
from inspection.application.planner import PatrolPlanner
from inspection.domain import patrol_plan, patrol_schedule
from inspection.projections import plan_queries

router = APIRouter(tags=["patrol plan"])


class PlanRun(BaseModel):
    """The bureau's date the plan ran for and the patrols it scheduled."""

    today: date
    scheduled: list[str]


class PlannedPatrol(BaseModel):
    """One certified enterprise in the plan: its class, key flags, interval and next patrol."""

    credit_code: str
    supervision_class: str
    key_enterprise: bool
    key_product: bool
    key_region: bool
    interval_months: int
    last_patrol: date | None
    next_due: date
    open_patrols: list[str]


class CoverageReport(BaseModel):
    """A period's coverage: the share patrolled as planned, and who was late or is overdue."""

    period_start: date
    period_end: date
    share: float
    planned: list[str]
    as_planned: list[str]
    late: list[str]
    overdue: list[str]
    overdue_names: dict[str, str]


class Workload(BaseModel):
    """One assignee's open inspections (``inspector`` None: not yet assigned)."""

    department: str | None
    inspector: str | None
    open: int
    due_today: int
    overdue: int
    earliest_due_on: date


class WorkloadReport(BaseModel):
    """The section head's view on a day."""

    today: date
    assignees: list[Workload]


def planner_of(request: Request) -> PatrolPlanner:
    """The app's patrol planner."""
    return PatrolPlanner.of(application(request))


@router.post("/patrol-plan/run")
def run_patrol_plan(request: Request) -> PlanRun:
    """Schedule now every patrol the plan makes due within its horizon (idempotent)."""
    planner = planner_of(request)
    return PlanRun(today=planner.clock(), scheduled=planner.run())


@router.get("/patrol-plan")
def list_patrol_plan(request: Request, store: Store) -> list[PlannedPatrol]:
    """Every certified enterprise in the jurisdiction with its interval and next patrol day."""
    planner = planner_of(request)
    today = planner.clock()
    with store.reading() as conn:
        enterprises = planner.planned(conn)
        patrols = plan_queries.open_patrols(conn)
    return [
        PlannedPatrol(
            credit_code=e.credit_code,
            supervision_class=e.supervision_class,
            **e.flags.model_dump(),
            interval_months=patrol_plan.interval_months(e.supervision_class, e.flags),
            last_patrol=max(e.patrols, default=None),
            next_due=patrol_schedule.planned_due(e, today),
            open_patrols=[p.inspection_id for p in patrols.get(e.credit_code, [])],
        )
        for e in enterprises
    ]


@router.get("/patrol-plan/coverage", responses={422: {"description": "A period ending too early"}})
def patrol_coverage(
    request: Request,
    store: Store,
    period_start: Annotated[
        date | None, Query(description="default: this month's first day")
    ] = None,
    period_end: Annotated[date | None, Query(description="default: today")] = None,
) -> CoverageReport:
    """Share of certified enterprises patrolled as planned in a period, and those overdue."""
    planner = planner_of(request)
    today = planner.clock()
    start = period_start or today.replace(day=1)
    end = period_end or today
    if end < start:
        raise Refusal(
            422,
            f"the period ends on {end}, before it starts on {start}",
            code="patrol_plan.period_reversed",
            fields=["period_start", "period_end"],
        )
    with store.reading() as conn:
        result = patrol_plan.coverage(planner.planned(conn), start, end)
        names = plan_queries.enterprise_names(conn, list(result.overdue))
    return CoverageReport(**result.model_dump(), share=result.share, overdue_names=names)


@router.get("/workload")
def workload_by_assignee(
    request: Request, store: Store, department: str | None = None
) -> WorkloadReport:
    """Per department and inspector: open inspections, due today and overdue, worst first."""
    today = planner_of(request).clock()
    with store.reading() as conn:
        rows = plan_queries.workload(conn, today, department)
    return WorkloadReport(today=today, assignees=[Workload.model_validate(r) for r in rows])
