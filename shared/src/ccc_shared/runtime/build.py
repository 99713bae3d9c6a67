"""Build a service from its record, in one direction: settings -> store -> application ->
subscriptions -> app. Nothing is found by reflection and nothing is fished back out of the app:
each step takes what the one before it made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from fastapi import FastAPI

from ccc_contracts.envelope import Actor, utcnow
from ccc_shared.application import Application
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import UnknownAggregateError, bureau_today
from ccc_shared.runtime import http
from ccc_shared.runtime.kernel import ServiceKernel, Subscription, open_store, serve
from ccc_shared.runtime.periodic import install_periodic, on_shutdown
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.service import Service, react


def open_application(
    service: Service,
    settings: ServiceSettings,
    *,
    today: Callable[[], date] = bureau_today,
    now: Callable[[], datetime] = utcnow,
) -> Application[Any]:
    """A service's application on its store (not migrated, nothing connected): for the app,
    and for tools that work on a store offline (imports, audits, rebuilds)."""
    store = open_store(settings, service.context, service.stored, service.published)
    return service.application(
        store, settings, service.aggregates,
        actor=Actor.service(settings.service_name), today=today, now=now,
    )  # fmt: skip


def migrate(service: Service, store: SqlEventStore) -> None:
    """Create or upgrade the kernel's tables and the service's read models."""
    store.migrate()
    for migration in service.migrations:
        migration(store.engine)


def build_app(
    service: Service,
    settings: ServiceSettings,
    *,
    today: Callable[[], date] = bureau_today,
    now: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """Build a service from its record: store, application, subscriptions, then the app.

    The application is ``app.state.application`` (routes take it as ``http.App``); each
    publisher the reactions table names gets one durable consumer, ``<context>-<publisher>``,
    filtered to exactly the handled event types. ``today``/``now``: the clocks (tests fix them).
    """
    application = open_application(service, settings, today=today, now=now)
    store = application.store
    handle = react(service.reactions, application)
    subscriptions = [
        Subscription(f"{service.context}-{publisher}", publisher, subjects, handle)
        for publisher, subjects in service.subscribed().items()
    ]
    kernel = ServiceKernel(
        settings, context=service.context, registry=service.stored, store=store,
        subscriptions=subscriptions, migrations=service.migrations,
    )  # fmt: skip
    app = serve(kernel, settings, service.routers, service.upload_routes, service.access)
    app.state.application = application
    http.install_error_handlers(app, UnknownAggregateError)
    for stop in service.on_stop:  # inside the jobs: runs once they have stopped
        on_shutdown(app, partial(stop, application))
    for job in service.jobs:
        install_periodic(
            app, job.name, partial(job.run, application), job.every_seconds,
            wake_on=store if job.wake_on_commit else None,
        )  # fmt: skip
    return app
