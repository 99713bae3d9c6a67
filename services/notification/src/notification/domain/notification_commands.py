"""The notification aggregate's commands."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, Field

from ccc_shared.domain import Command
from notification.domain.notification_events import Channel


class NotificationCommand(Command):
    """A command to one notification."""

    notification_id: str = Field(min_length=1, max_length=128)


class QueueNotification(NotificationCommand):
    """Queue a notice for a recipient; queuing the same id again changes nothing."""

    rule: str = Field(min_length=1)
    recipient: str = Field(min_length=1)
    language: str = "zh"
    subject: str
    body: str
    cause_event_id: str
    cause_event_type: str
    payload: dict[str, Any] = Field(default_factory=dict)
    at: AwareDatetime


class StartAttempt(NotificationCommand):
    """Record a delivery attempt before sending, so a crash mid-send is known to have tried."""

    at: AwareDatetime


class RecordDelivery(NotificationCommand):
    """The channel took the notice; ``confirmed`` when the receiver itself acknowledged it."""

    channel: Channel
    address: str
    confirmed: bool
    at: AwareDatetime


class RecordFailure(NotificationCommand):
    """The attempt failed: retry after a growing delay, or give up after ``max_attempts``."""

    error: str
    at: AwareDatetime
    max_attempts: int = Field(ge=1)
    first_delay_seconds: float = Field(ge=0)
    backoff_factor: float = Field(ge=1)


class AcknowledgeNotification(NotificationCommand):
    """The recipient read (or its system confirmed) the notice."""

    by: str = Field(min_length=1)
    at: AwareDatetime


class ResendNotification(NotificationCommand):
    """Send a notice again (after a failure or on request), with a fresh round of attempts."""

    reason: str = Field(min_length=1)
    at: AwareDatetime
