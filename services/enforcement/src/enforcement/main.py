"""Entry point of the enforcement service: its record, the app built from it, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import structlog
from fastapi import FastAPI

from ccc_contracts import enforcement as contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.handling import bureau_today
from ccc_shared.runtime.build import build_app
from ccc_shared.runtime.service import run_service
from ccc_shared.service import Job, Service
from enforcement.access import ACCESS
from enforcement.api import cases, documents, history, intake, law, oversight, reads
from enforcement.application.aggregates import aggregates
from enforcement.application.app import Enforcement
from enforcement.application.reactions import REACTIONS
from enforcement.application.sweep import sweep_deadlines
from enforcement.domain import case_events, complaints, guidance
from enforcement.projections.read_models import migrate
from enforcement.settings import Settings

__all__ = ["Settings", "create_app", "main", "service", "stored_events"]

log = structlog.get_logger("enforcement")


def stored_events() -> EventRegistry:
    """Every event the enforcement service stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(case_events.private_events)
    stored.include(complaints.private_events)
    stored.include(guidance.private_events)
    return stored


def service(settings: Settings) -> Service:
    """The enforcement service, declared once: what the kernel builds it from."""
    return Service(
        context=contracts.CONTEXT,
        published=contracts.registry,
        stored=stored_events(),
        aggregates=aggregates(settings.calendar()),
        reactions=REACTIONS,
        access=ACCESS,
        routers=[
            cases.router,
            reads.router,
            intake.router,
            documents.router,
            oversight.router,
            history.router,
            law.router,
        ],
        migrations=[migrate],
        jobs=[Job("deadline-sweep", settings.deadline_sweep_minutes * 60, sweep_deadlines)],
        upload_routes=documents.UPLOAD_ROUTES,
        application=Enforcement,
    )


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """The enforcement app; ``clock`` gives the bureau's date to every command, reaction and
    sweep (tests pass their own)."""
    app = build_app(service(settings), settings, today=clock)
    missing = settings.calendar().uncovered_ahead(clock())
    if missing:
        log.warning("holiday table incomplete", uncovered_years=missing,
                    advice=oversight.uncovered_warning(missing))  # fmt: skip
    return app


def main() -> int:
    """Run the enforcement service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
