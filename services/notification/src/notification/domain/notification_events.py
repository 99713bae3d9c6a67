"""The notification aggregate's commands and its private events (the contract ones live in
``ccc_contracts.notification``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.notification import NotificationFailed, NotificationSent
from ccc_shared.domain import Command

PRIVATE = EventRegistry()

Channel = Literal["webhook", "email", "inbox"]


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


@PRIVATE.register
class NotificationQueued(EventData):
    """A notice was written for a recipient because of an event, by a rule."""

    event_type = "NotificationQueued"
    notification_id: str
    rule: str
    recipient: str
    language: str
    subject: str
    body: str
    cause_event_id: str
    cause_event_type: str
    payload: dict[str, Any]
    queued_at: datetime


@PRIVATE.register
class DeliveryAttempted(EventData):
    """A delivery attempt started (recorded before anything is sent)."""

    event_type = "DeliveryAttempted"
    notification_id: str
    attempt: int
    round: int
    at: datetime


@PRIVATE.register
class NotificationDelivered(EventData):
    """The receiver confirmed it has the notice (a webhook's 2xx, the inbox row)."""

    event_type = "NotificationDelivered"
    notification_id: str
    channel: Channel
    at: datetime


@PRIVATE.register
class DeliveryFailed(EventData):
    """An attempt failed; ``retry_at`` is when the next one may start (None: given up)."""

    event_type = "DeliveryFailed"
    notification_id: str
    attempt: int
    error: str
    at: datetime
    retry_at: datetime | None


@PRIVATE.register
class NotificationAcknowledged(EventData):
    """The recipient read or confirmed the notice."""

    event_type = "NotificationAcknowledged"
    notification_id: str
    by: str
    at: datetime


@PRIVATE.register
class ResendRequested(EventData):
    """Someone asked for the notice to be sent again, and why."""

    event_type = "ResendRequested"
    notification_id: str
    reason: str
    at: datetime


NotificationEvent = (
    NotificationQueued
    | DeliveryAttempted
    | NotificationSent
    | NotificationDelivered
    | DeliveryFailed
    | NotificationFailed
    | NotificationAcknowledged
    | ResendRequested
)
