"""Entry point of the notification service: its record, the app built from it, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from fastapi import FastAPI

from ccc_contracts import notification as contracts
from ccc_contracts.base import EventRegistry
from ccc_contracts.envelope import utcnow
from ccc_shared.runtime.build import build_app
from ccc_shared.runtime.service import run_service
from ccc_shared.service import Job, Service
from notification.access import ACCESS
from notification.api import directory, notifications
from notification.application.aggregates import AGGREGATES
from notification.application.app import Notification
from notification.application.destinations import Resolver, resolve_host
from notification.application.reactions import reactions
from notification.application.reminders import fire_due_reminders
from notification.domain.notification_events import PRIVATE
from notification.projections.read_models import migrate
from notification.settings import Settings

__all__ = ["Settings", "create_app", "main", "service", "stored_events"]


def stored_events() -> EventRegistry:
    """Every event the notification service stores: its contract events and private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(PRIVATE)
    return stored


def deliver_due(app: Notification) -> Any:
    """Send every notice due now."""
    return app.dispatcher.deliver_due()


def remind(app: Notification) -> Any:
    """Queue the reminders that are due."""
    return fire_due_reminders(app.store, app.settings.service_name, app.now)


def close_dispatcher(app: Notification) -> None:
    """Let the senders finish (after the jobs stop, before the kernel stops)."""
    app.dispatcher.close()


def service(settings: Settings, *, resolve: Resolver = resolve_host) -> Service:
    """The notification service, declared once: what the kernel builds it from."""
    return Service(
        context=contracts.CONTEXT,
        published=contracts.registry,
        stored=stored_events(),
        aggregates=AGGREGATES,
        reactions=reactions(),
        access=ACCESS,
        routers=[directory.router, notifications.router],
        migrations=[migrate],
        # queued notices go out as soon as they commit; the period is the fallback (retries)
        jobs=[
            Job(
                "notification-dispatch",
                settings.dispatch_every_seconds,
                deliver_due,
                wake_on_commit=settings.dispatch_on_commit,
            ),
            Job("notification-reminders", settings.reminders_every_seconds, remind),
        ],
        application=partial(Notification, resolve=resolve),
        on_stop=[close_dispatcher],
    )


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    resolve: Resolver = resolve_host,
) -> FastAPI:
    """The notification app; ``clock`` gives the current instant to the dispatcher, the
    reminders and the routes (tests pass one they can move); ``resolve`` looks up webhook
    host names (DNS)."""
    return build_app(service(settings, resolve=resolve), settings, now=clock)


def main() -> int:
    """Run the notification service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
