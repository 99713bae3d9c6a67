"""Notification's two aggregates as data: stream name, key, commands, pure functions, read model.

Every command goes through the kernel's ``Application.execute``: from HTTP (its own
transaction), from the subscription runner (the runner's transaction) and from the periodic
dispatcher and reminder jobs. A
notification's id is derived from its cause event, recipient and rule, so the same cause met
again (a redelivery, a replay, a reminder fired twice) finds the notice already queued.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection

from ccc_shared.eventstore.envelope import StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate
from notification.domain import directory, notifications
from notification.domain.notification_commands import NotificationCommand, QueueNotification
from notification.projections.read_models import save_notification, save_recipient

__all__ = ["AGGREGATES", "NOTIFICATION", "RECIPIENT", "notification_id", "notification_state"]

NAMESPACE = uuid.UUID("7b0c5c1e-3f1a-5d7e-9a55-6e6f74696679")


def notification_id(cause_event_id: str, recipient: str, rule: str) -> str:
    """The one id of the notice a rule sends a recipient because of an event."""
    return uuid.uuid5(NAMESPACE, f"{cause_event_id}|{recipient}|{rule}").hex


def recipient_key(recipient_id: str) -> str:
    """The stream id of a directory entry (recipient ids hold ':' which a subject cannot)."""
    return uuid.uuid5(NAMESPACE, f"recipient|{recipient_id}").hex


def _notification_key(command: NotificationCommand) -> str:
    return command.notification_id


def _recipient_key(command: directory.PutRecipient | directory.RemoveRecipient) -> str:
    return recipient_key(command.recipient_id)


NOTIFICATION: Aggregate[notifications.Notification, NotificationCommand] = Aggregate(
    name="notification",
    noun="notification",
    creation=QueueNotification,
    commands=(NotificationCommand,),
    key=_notification_key,
    decide=notifications.decide,
    evolve=notifications.evolve,
    save=save_notification,
)

RECIPIENT: Aggregate[directory.Recipient, directory.PutRecipient | directory.RemoveRecipient] = (
    Aggregate(
        name="recipient",
        noun="recipient",
        creation=directory.PutRecipient,
        commands=(directory.PutRecipient, directory.RemoveRecipient),
        key=_recipient_key,
        decide=directory.decide,
        evolve=directory.evolve,
        save=save_recipient,
    )
)


AGGREGATES = (NOTIFICATION, RECIPIENT)


def notification_state(
    store: SqlEventStore, notification: str, conn: Connection
) -> notifications.Notification | None:
    """A notification's state rebuilt from its stream (None if never queued)."""
    return NOTIFICATION.state_of(store, notification, conn)


def is_queued(store: SqlEventStore, notification: str, conn: Connection) -> bool:
    """Whether a notification exists already."""
    return bool(store.load(StreamId(NOTIFICATION.name, notification), conn=conn))
