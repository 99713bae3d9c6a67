"""Entry point of the notification service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property, partial
from typing import Any

from fastapi import FastAPI
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from ccc_shared.application import Application
from ccc_shared.contracts import notification as contracts
from ccc_shared.contracts.base import EventRegistry
from ccc_shared.eventstore.envelope import utcnow
from ccc_shared.runtime.kernel import build_app
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.sealing import Seal
from ccc_shared.service import Job, Service
from notification.api import directory, notifications
from notification.application.channels import SmtpServer
from notification.application.destinations import Resolver, WebhookGuard, resolve_host
from notification.application.dispatch import DeliveryPolicy, Dispatcher
from notification.application.handling import AGGREGATES
from notification.application.policies import reactions
from notification.application.reminders import fire_due_reminders
from notification.domain.destinations import WebhookDestinations
from notification.domain.notification_events import PRIVATE
from notification.projections.read_models import migrate


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


class Notification(Application[Settings]):
    """The notification application: the kernel's, with the seal, the webhook guard and the
    dispatcher built from its settings; ``resolve`` looks up webhook host names (DNS)."""

    def __init__(self, *args: Any, resolve: Resolver = resolve_host, **options: Any) -> None:
        super().__init__(*args, **options)
        self.resolve = resolve

    @cached_property
    def secret_seal(self) -> Seal:
        """The keys webhook secrets are sealed with."""
        return self.settings.secret_seal()

    @cached_property
    def webhook_guard(self) -> WebhookGuard:
        """Where webhooks may go."""
        return self.settings.webhook_guard(self.resolve)

    @cached_property
    def dispatcher(self) -> Dispatcher:
        """Sends what is queued, retrying with backoff."""
        settings = self.settings
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
        return Dispatcher(
            self.store, settings.service_name, policy, smtp, self.now,
            self.secret_seal, self.webhook_guard,
        )  # fmt: skip


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
        stored=stored_events(),
        aggregates=AGGREGATES,
        reactions=reactions(),
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
    app = build_app(service(settings, resolve=resolve), settings, now=clock)
    application: Notification = app.state.application
    app.state.clock = clock
    app.state.secret_seal = application.secret_seal
    app.state.webhook_guard = application.webhook_guard
    app.state.dispatcher = application.dispatcher
    return app


def main() -> int:
    """Run the notification service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
