"""Notification's application: the kernel's, with the seal, the webhook guard and the dispatcher.

The kernel builds it from the service's record (``main.service``); the routes, the jobs and
the reactions all work on this one object.
"""

from __future__ import annotations

from typing import Any

from ccc_shared.application import Application
from ccc_shared.sealing import Seal
from notification.application.channels import SmtpServer
from notification.application.destinations import Resolver, WebhookGuard, resolve_host
from notification.application.dispatch import DeliveryPolicy, Dispatcher
from notification.settings import Settings


class Notification(Application[Settings]):
    """The notification application: the kernel's, with the seal, the webhook guard and the
    dispatcher built from its settings as it is built (before any job runs); ``resolve`` looks
    up webhook host names (DNS)."""

    def __init__(self, *args: Any, resolve: Resolver = resolve_host, **options: Any) -> None:
        super().__init__(*args, **options)
        settings = self.settings
        self.secret_seal: Seal = settings.secret_seal()
        self.webhook_guard: WebhookGuard = settings.webhook_guard(resolve)
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
        self.dispatcher = Dispatcher(
            self.store, settings.service_name, policy, smtp, self.now,
            self.secret_seal, self.webhook_guard,
        )  # fmt: skip
