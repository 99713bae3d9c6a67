"""The Notification aggregate: one notice to one recipient, because of one event, by one rule.

| from | to | command |
| --- | --- | --- |
| (none) | queued | QueueNotification (again: nothing) |
| queued, retrying, sending | sending | StartAttempt (recorded before sending) |
| sending | sent / delivered | RecordDelivery (delivered when the receiver confirmed) |
| sending | retrying / failed | RecordFailure (failed after ``max_attempts``: NotificationFailed) |
| sent, delivered | acknowledged | AcknowledgeNotification |
| sent, delivered, acknowledged, failed | queued | ResendNotification (a new round) |

Starting an attempt from ``sending`` is a retry after a crash mid-send: the receiver dedups on
the notification id (and the round), so the notice is never shown twice. Delays between
attempts grow exponentially: ``first_delay * factor ** (attempt - 1)``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from ccc_contracts.notification import NotificationFailed, NotificationSent
from ccc_shared.domain import DomainError, State

from .notification_commands import (
    AcknowledgeNotification,
    NotificationCommand,
    QueueNotification,
    RecordDelivery,
    RecordFailure,
    ResendNotification,
    StartAttempt,
)
from .notification_events import (
    Channel,
    DeliveryAttempted,
    DeliveryFailed,
    NotificationAcknowledged,
    NotificationDelivered,
    NotificationQueued,
    ResendRequested,
)

Status = Literal["queued", "sending", "retrying", "sent", "delivered", "acknowledged", "failed"]

ALLOWED_FROM: dict[type[NotificationCommand], tuple[frozenset[Status], str]] = {
    StartAttempt: (frozenset({"queued", "retrying", "sending"}), "attempt delivery of"),
    RecordDelivery: (frozenset({"sending"}), "record the delivery of"),
    RecordFailure: (frozenset({"sending"}), "record a failed delivery of"),
    AcknowledgeNotification: (frozenset({"sent", "delivered", "acknowledged"}), "acknowledge"),
    ResendNotification: (frozenset({"sent", "delivered", "acknowledged", "failed"}), "resend"),
}


class Notification(State):
    """One notice and where its delivery stands."""

    notification_id: str
    rule: str
    recipient: str
    language: str
    subject: str
    body: str
    cause_event_id: str
    cause_event_type: str
    payload: dict[str, Any]
    status: Status
    queued_at: datetime
    attempts: int = 0
    round: int = 1
    next_attempt_at: datetime | None = None
    attempt_started_at: datetime | None = None
    last_error: str | None = None
    channel: Channel | None = None
    address: str | None = None
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    failed_at: datetime | None = None


def retry_delay(attempt: int, first_delay_seconds: float, factor: float) -> timedelta:
    """How long to wait after the ``attempt``-th failure before trying again."""
    return timedelta(seconds=first_delay_seconds * factor ** (attempt - 1))


def decide(state: Notification | None, command: NotificationCommand, today: date) -> list[Any]:
    """The events a command produces on a notification, or a DomainError saying why not."""
    if isinstance(command, QueueNotification):
        return [] if state is not None else [queued(command)]
    if state is None:
        raise DomainError(
            f"notification {command.notification_id} was never queued",
            code="notification.not_queued",
            fields=["notification_id"],
        )
    allowed, verb = ALLOWED_FROM[type(command)]
    if state.status not in allowed:
        raise DomainError(
            f"cannot {verb} notification {state.notification_id}: {state.status}",
            code="notification.status_not_allowed",
        )
    match command:
        case StartAttempt():
            return [DeliveryAttempted(notification_id=state.notification_id,
                                      attempt=state.attempts + 1, round=state.round,
                                      at=command.at)]  # fmt: skip
        case RecordDelivery():
            return delivered(state, command)
        case RecordFailure():
            return failed(state, command)
        case AcknowledgeNotification():
            if state.status == "acknowledged":
                return []
            return [NotificationAcknowledged(notification_id=state.notification_id,
                                             by=command.by, at=command.at)]  # fmt: skip
        case ResendNotification():
            return [ResendRequested(notification_id=state.notification_id,
                                    reason=command.reason, at=command.at)]  # fmt: skip
    raise DomainError(
        f"unknown command {type(command).__name__}", code="notification.unknown_command"
    )


def queued(command: QueueNotification) -> NotificationQueued:
    """The notice as written, with its cause."""
    fields = command.model_dump(exclude={"at"})
    return NotificationQueued(**fields, queued_at=command.at)


def delivered(state: Notification, command: RecordDelivery) -> list[Any]:
    """Sent, and delivered too when the receiver confirmed it."""
    events: list[Any] = [
        NotificationSent(
            notification_id=state.notification_id,
            channel=command.channel,
            recipient=state.recipient,
            cause_event_id=state.cause_event_id,
        )
    ]
    if command.confirmed:
        events.append(
            NotificationDelivered(
                notification_id=state.notification_id, channel=command.channel, at=command.at
            )
        )
    return events


def failed(state: Notification, command: RecordFailure) -> list[Any]:
    """A retry after the backoff, or, with the attempts used up, the failure made public."""
    if state.attempts < command.max_attempts:
        delay = retry_delay(state.attempts, command.first_delay_seconds, command.backoff_factor)
        return [DeliveryFailed(notification_id=state.notification_id, attempt=state.attempts,
                               error=command.error, at=command.at,
                               retry_at=command.at + delay)]  # fmt: skip
    return [
        DeliveryFailed(notification_id=state.notification_id, attempt=state.attempts,
                       error=command.error, at=command.at, retry_at=None),
        NotificationFailed(notification_id=state.notification_id, rule=state.rule,
                           recipient=state.recipient,
                           cause_event_id=state.cause_event_id,
                           attempts=state.attempts, last_error=command.error),
    ]  # fmt: skip


def evolve(state: Notification | None, event: Any) -> Notification:
    """The notification after one of its events."""
    if isinstance(event, NotificationQueued):
        return Notification(**event.model_dump(exclude={"queued_at"}), status="queued",
                            queued_at=event.queued_at, next_attempt_at=event.queued_at)  # fmt: skip
    if state is None:
        raise ValueError(f"{type(event).__name__} before NotificationQueued")
    match event:
        case DeliveryAttempted():
            changes: dict[str, Any] = {"status": "sending", "attempts": event.attempt,
                                       "attempt_started_at": event.at}  # fmt: skip
        case NotificationSent():
            changes = {"status": "sent", "channel": event.channel, "last_error": None,
                       "sent_at": state.attempt_started_at, "next_attempt_at": None}  # fmt: skip
        case NotificationDelivered():
            changes = {"status": "delivered", "delivered_at": event.at, "sent_at": event.at}
        case DeliveryFailed():
            changes = {"status": "retrying" if event.retry_at else "failed",
                       "last_error": event.error, "next_attempt_at": event.retry_at}  # fmt: skip
            if event.retry_at is None:
                changes["failed_at"] = event.at
        case NotificationFailed():
            changes = {}
        case NotificationAcknowledged():
            changes = {"status": "acknowledged", "acknowledged_at": event.at,
                       "acknowledged_by": event.by}  # fmt: skip
        case ResendRequested():
            changes = {"status": "queued", "attempts": 0, "round": state.round + 1,
                       "next_attempt_at": event.at, "last_error": None}  # fmt: skip
        case _:
            raise ValueError(f"not a notification event: {type(event).__name__}")
    return state.model_copy(update=changes)
