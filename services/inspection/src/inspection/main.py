"""Entry point of the inspection service: its record, the app built from it, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI

from ccc_contracts import inspection as contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.application import Application
from ccc_shared.handling import bureau_today
from ccc_shared.runtime.build import build_app
from ccc_shared.runtime.service import run_service
from ccc_shared.service import Job, Service
from inspection.access import ACCESS
from inspection.api import campaigns, history, inspections, patrol_plan, traceability
from inspection.application.aggregates import AGGREGATES
from inspection.application.planner import PatrolPlanner, raise_past_deadlines
from inspection.application.reactions import REACTIONS
from inspection.domain.inspection_events import PRIVATE
from inspection.projections.read_models import migrate
from inspection.settings import Settings

__all__ = ["Settings", "create_app", "main", "service", "stored_events"]


def stored_events() -> EventRegistry:
    """Every event the inspection service stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(PRIVATE)
    return stored


def run_patrol_plan(app: Application[Any]) -> list[str]:
    """Schedule the patrols the plan makes due."""
    return PatrolPlanner.of(app).run()


def service(settings: Settings) -> Service:
    """The inspection service, declared once: what the kernel builds it from."""
    every = settings.patrol_plan_every_minutes * 60
    return Service(
        context=contracts.CONTEXT,
        published=contracts.registry,
        stored=stored_events(),
        aggregates=AGGREGATES,
        reactions=REACTIONS,
        access=ACCESS,
        routers=[
            inspections.router,
            patrol_plan.router,
            campaigns.router,
            traceability.router,
            history.router,
        ],
        migrations=[migrate],
        jobs=[
            Job("patrol-plan", every, run_patrol_plan),
            Job("campaign-deadlines", every, raise_past_deadlines),
        ],
    )


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """The inspection app; ``clock`` gives the bureau's date to the commands, reactions and
    jobs (tests may pass a fixed one)."""
    return build_app(service(settings), settings, today=clock)


def main() -> int:
    """Run the inspection service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
