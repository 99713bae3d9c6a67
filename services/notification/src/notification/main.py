"""Entry point of the notification service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from ccc_contracts import PUBLISHERS
from ccc_contracts import notification as contracts
from ccc_contracts.base import EventRegistry
from ccc_contracts.envelope import utcnow
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.runtime.kernel import Subscription, build_kernel_app
from ccc_shared.runtime.periodic import install_periodic
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.sealing import Seal
from notification.api import directory, notifications
from notification.api.context import install_error_handlers
from notification.application.channels import SmtpServer
from notification.application.destinations import Resolver, WebhookGuard, resolve_host
from notification.application.dispatch import DeliveryPolicy, Dispatcher
from notification.application.policies import event_handler
from notification.application.reminders import fire_due_reminders
from notification.domain.destinations import WebhookDestinations
from notification.domain.notification_events import PRIVATE
from notification.domain.rules import consumed_event_types
from notification.projections.read_models import CERTIFICATE_STATUS, migrate

# Events read only for the facts the rules look up (who certified, who keeps a dossier, ...).
FACT_EVENT_TYPES = frozenset(
    {"CertificateRegistered", "EnterpriseRegistered", "EnterpriseProfileUpdated",
     "CustodianAssigned", "CertificationBodyRegistered", "CaseOpened", "CaseAssigned",
     *CERTIFICATE_STATUS}
)  # fmt: skip


class Settings(ServiceSettings):
    """Settings of the notification service, read from `NOTIFICATION_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_")

    service_name: str = "notification"
    http_port: int = 8104
    max_attempts: int = Field(default=5, ge=1)
    retry_first_delay_seconds: float = Field(default=30.0, ge=0)
    retry_backoff_factor: float = Field(default=2.0, ge=1)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    stale_attempt_seconds: float = Field(default=300.0, gt=0)
    dispatch_every_seconds: float = Field(default=2.0, gt=0)
    dispatch_on_commit: bool = True  # send a queued notice at once, not at the next round
    senders: int = Field(default=4, ge=1, le=64)
    reminders_every_seconds: float = Field(default=60.0, gt=0)
    reminder_offsets_days: list[int] = Field(default=[3, 0, -1])
    reminder_hour: int = Field(default=9, ge=0, le=23)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "ccc-notification@bureau.local"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # Fernet keys sealing webhook secrets at rest; empty: the data folder's secrets.keys
    secret_keys: list[SecretStr] = Field(default_factory=list)
    # where webhooks may go: host names, addresses, CIDR networks (JSON list); empty: nowhere
    webhook_allowed_destinations: list[str] = Field(default_factory=list)

    @field_validator("webhook_allowed_destinations")
    @classmethod
    def _destinations_parse(cls, entries: list[str]) -> list[str]:
        WebhookDestinations.parse(entries)  # a mistyped entry stops the service at start
        return entries

    def webhook_guard(self, resolve: Resolver = resolve_host) -> WebhookGuard:
        """The webhook allow-list, resolving host names with ``resolve``."""
        return WebhookGuard(WebhookDestinations.parse(self.webhook_allowed_destinations), resolve)

    def secret_seal(self) -> Seal:
        """The keys webhook secrets are sealed with (settings, or ``<data dir>/secrets.keys``)."""
        key_file = self.data_dir / "secrets.keys"
        return Seal.configured(self.secret_keys, key_file, "NOTIFICATION_SECRET_KEYS")


def stored_events() -> EventRegistry:
    """Every event the notification service stores: its contract events and private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(PRIVATE)
    return stored


def subscribed_subjects(context: str) -> list[str]:
    """The subjects of one publisher this service reads: only event types it has released."""
    wanted = consumed_event_types() | FACT_EVENT_TYPES
    published = PUBLISHERS[context]
    return [f"ccc.{context}.*.*.{name}" for name in sorted(wanted) if published.knows(name)]


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    resolve: Resolver = resolve_host,
) -> FastAPI:
    """Wire the notification service; the only place that builds its parts.

    ``clock`` gives the current instant to the dispatcher, the reminders and the routes
    (tests pass one they can move); ``resolve`` looks up webhook host names (DNS).
    """

    def subscriptions(store: SqlEventStore) -> list[Subscription]:
        handler = event_handler(
            store, settings.service_name, reminder_offsets_days=settings.reminder_offsets_days,
            reminder_hour=settings.reminder_hour, now=clock,
        )  # fmt: skip
        return [
            Subscription(f"notification-{context}", context, subjects, handler)
            for context in ("registry", "inspection", "enforcement")
            if (subjects := subscribed_subjects(context))
        ]

    app = build_kernel_app(
        settings,
        context=contracts.CONTEXT,
        registry=stored_events(),
        subscriptions=subscriptions,
        routers=[directory.router, notifications.router],
        migrations=[migrate],
    )
    app.state.clock = clock
    install_error_handlers(app)
    store: SqlEventStore = app.state.kernel.store
    policy = DeliveryPolicy(
        max_attempts=settings.max_attempts,
        first_delay_seconds=settings.retry_first_delay_seconds,
        backoff_factor=settings.retry_backoff_factor,
        webhook_timeout_seconds=settings.webhook_timeout_seconds,
        stale_after_seconds=settings.stale_attempt_seconds,
        workers=settings.senders,
    )
    smtp = SmtpServer(settings.smtp_host, settings.smtp_port, settings.smtp_sender,
                      settings.smtp_timeout_seconds)  # fmt: skip
    app.state.secret_seal = seal = settings.secret_seal()
    app.state.webhook_guard = guard = settings.webhook_guard(resolve)
    dispatcher = Dispatcher(store, settings.service_name, policy, smtp, clock, seal, guard)
    app.state.dispatcher = dispatcher
    close_on_shutdown(app, dispatcher.close)  # after the periodic jobs, before the kernel
    # queued notices go out as soon as they commit; the period is the fallback (retries)
    install_periodic(app, "notification-dispatch", dispatcher.deliver_due,
                     settings.dispatch_every_seconds,
                     wake_on=store if settings.dispatch_on_commit else None)  # fmt: skip
    install_periodic(
        app, "notification-reminders",
        lambda: fire_due_reminders(store, settings.service_name, clock),
        settings.reminders_every_seconds,
    )  # fmt: skip
    return app


def close_on_shutdown(app: FastAPI, close: Callable[[], None]) -> None:
    """Run ``close`` (off the event loop) when the app stops, before its kernel stops."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            try:
                yield
            finally:
                await asyncio.to_thread(close)

    app.router.lifespan_context = lifespan


def main() -> int:
    """Run the notification service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
