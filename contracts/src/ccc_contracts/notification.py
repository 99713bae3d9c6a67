"""Contract events published by the notification service on ``ccc.notification.>``."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.text import IDENTIFIER_MAX

CONTEXT = "notification"
registry = EventRegistry()

Channel = Literal["webhook", "email", "inbox"]


@registry.register
class NotificationSent(EventData):
    """A notice left for its recipient on a channel, citing the event that caused it."""

    event_type = "NotificationSent"
    notification_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    channel: Channel
    recipient: str
    cause_event_id: UUID


@registry.register
class NotificationFailed(EventData):
    """A notice could not be delivered after every retry: staff must act, it is never silent."""

    event_type = "NotificationFailed"
    notification_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    rule: str = Field(min_length=1)
    recipient: str
    cause_event_id: UUID
    attempts: int = Field(ge=1)
    last_error: str
