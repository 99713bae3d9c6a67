"""The notification aggregate's private events (the contract ones live in
``ccc_shared.contracts.notification``); its commands are in ``notification_commands``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ccc_shared.contracts.base import EventData, EventRegistry
from ccc_shared.contracts.notification import NotificationFailed, NotificationSent

PRIVATE = EventRegistry()

Channel = Literal["webhook", "email", "inbox"]


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
