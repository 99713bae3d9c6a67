"""Entry point of the enterprise-registry service: its record, the app built from it, `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI

from ccc_contracts import registry as contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.handling import bureau_today
from ccc_shared.runtime.build import build_app
from ccc_shared.runtime.service import run_service
from ccc_shared.service import Job, Service
from enterprise_registry.access import ACCESS
from enterprise_registry.api import (
    bodies,
    certificates,
    enterprises,
    history,
    maintenance,
    quality_inputs,
)
from enterprise_registry.api import feed as certificate_feed
from enterprise_registry.application.aggregates import AGGREGATES
from enterprise_registry.application.expiry import expire_overdue
from enterprise_registry.application.reactions import REACTIONS
from enterprise_registry.domain.body_events import body_events
from enterprise_registry.domain.enterprise_events import private_events
from enterprise_registry.projections.read_models import migrate
from enterprise_registry.settings import Settings

__all__ = ["Settings", "create_app", "main", "service", "stored_events"]


def stored_events() -> EventRegistry:
    """Every event the registry stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(private_events)
    stored.include(body_events)
    return stored


def service(settings: Settings) -> Service:
    """The enterprise-registry, declared once: what the kernel builds it from."""
    return Service(
        context=contracts.CONTEXT,
        published=contracts.registry,
        stored=stored_events(),
        aggregates=AGGREGATES,
        reactions=REACTIONS,
        access=ACCESS,
        routers=[
            enterprises.router,
            certificates.router,
            certificate_feed.router,
            bodies.router,
            quality_inputs.router,
            maintenance.router,
            history.router,
        ],
        migrations=[migrate],
        jobs=[Job("expiry-sweep", settings.expiry_sweep_minutes * 60, expire_overdue)],
        upload_routes=certificate_feed.UPLOAD_ROUTES,
    )


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """The enterprise-registry app; ``clock`` gives the bureau's date to every command, the
    expiry sweep and the classification of outside events (tests pass a fixed one)."""
    return build_app(service(settings), settings, today=clock)


def main() -> int:
    """Run the enterprise-registry service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
