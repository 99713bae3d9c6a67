"""Request and response bodies of the notification service's HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from ccc_contracts import text
from ccc_contracts.text import InputModel
from notification.domain.directory import RECIPIENT_ID
from notification.domain.notification_events import Channel
from notification.domain.templates import Language


class Body(InputModel):
    """A request body: unknown fields refused, text bounded and stripped."""


class ChannelEntry(Body):
    """One way to reach a recipient; a webhook may carry the secret it signs with."""

    channel: Channel
    address: str = Field(default="", max_length=text.URL_MAX)
    secret: str | None = Field(default=None, min_length=16, max_length=200)

    @model_validator(mode="after")
    def _address_fits(self) -> ChannelEntry:
        if self.channel == "webhook" and not self.address.startswith(("http://", "https://")):
            raise ValueError("a webhook address is an http(s) URL")
        if self.channel == "email" and "@" not in self.address:
            raise ValueError("an email address has an @")
        if self.secret and self.channel != "webhook":
            raise ValueError("only a webhook signs with a secret")
        return self


class RecipientEntry(Body):
    """A directory entry as given: name, language, channels tried in order."""

    name: text.OrganisationName
    language: Language = "zh"
    channels: list[ChannelEntry] = Field(min_length=1, max_length=10)


class RecipientView(BaseModel):
    """A directory entry as shown (secrets never are; ``signed`` says a webhook has one)."""

    recipient_id: str = Field(pattern=RECIPIENT_ID)
    kind: str
    name: str
    language: str
    channels: list[dict[str, Any]]


class RecipientPage(BaseModel):
    """Directory entries."""

    items: list[RecipientView]


class Resend(Body):
    """Why a notice is sent again."""

    reason: text.Reason


class NotificationView(BaseModel):
    """A notice and where its delivery stands; ``cause_event_id`` names what caused it."""

    notification_id: str
    rule: str
    recipient: str
    language: str
    subject: str
    body: str
    cause_event_id: str
    cause_event_type: str
    payload: dict[str, Any]
    status: str
    attempts: int
    round: int
    queued_at: datetime
    next_attempt_at: datetime | None
    attempt_started_at: datetime | None
    last_error: str | None
    channel: str | None
    sent_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    failed_at: datetime | None
    version: int
    masked: bool = False  # a person's inbox notice, shown in full to them (and heads, auditors)


class NotificationPage(BaseModel):
    """Notices, newest first."""

    items: list[NotificationView]


class InboxNotice(BaseModel):
    """A notice in a recipient's in-app inbox."""

    notification_id: str
    recipient: str
    subject: str
    body: str
    cause_event_id: str
    received_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    """A recipient's inbox, newest first, with how many are unread."""

    items: list[InboxNotice]
    unread: int


class ReminderView(BaseModel):
    """A stored deadline reminder."""

    schedule_id: str
    series: str
    rule: str
    label: str
    escalate: bool
    target_kind: str
    target_key: str
    cause_event_id: str
    fire_at: datetime
    status: str
    fired_at: datetime | None


class ReminderPage(BaseModel):
    """Stored reminders, by fire time."""

    items: list[ReminderView]
