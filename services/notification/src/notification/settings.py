"""Settings of the notification service, read from `NOTIFICATION_*` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.sealing import Seal
from notification.application.destinations import Resolver, WebhookGuard, resolve_host
from notification.domain.destinations import WebhookDestinations


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
