"""HTTP routes for notices: status, list, resend, acknowledge; inboxes; stored reminders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from ccc_shared.runtime.auth import Principal
from ccc_shared.runtime.http import CommandResult, run_command
from notification.api.context import (
    COMMAND_RESPONSES,
    NOTIFICATION_ID_PATH,
    RECIPIENT_ID_PATH,
    App,
    Caller,
    Clock,
    Metadata,
    Store,
    check_inbox_access,
    is_inbox,
    may_open_inbox,
)
from notification.api.schemas import (
    InboxNotice,
    InboxPage,
    NotificationPage,
    NotificationView,
    ReminderPage,
    ReminderView,
    Resend,
)
from notification.application.reminders import pending_reminders
from notification.domain.notification_commands import AcknowledgeNotification, ResendNotification
from notification.domain.notifications import Notification
from notification.projections import queries
from notification.projections.read_models import aware, mark_read

router = APIRouter(tags=["notifications"])
NotificationId = Annotated[str, Path(pattern=NOTIFICATION_ID_PATH)]
RecipientId = Annotated[str, Path(pattern=RECIPIENT_ID_PATH)]
Limit = Annotated[int, Query(ge=1, le=1000)]


MASK = "***"


def notification_view(row: dict[str, Any], caller: Principal) -> NotificationView:
    """A notice as this caller may see it: a notice to someone else's inbox keeps its status
    but not its words (subject, body, payload), as their inbox does."""
    if is_inbox(row["recipient"]) and not may_open_inbox(caller, row["recipient"], reading=True):
        row = {**row, "subject": MASK, "body": MASK, "payload": {}, "masked": True}
    return NotificationView(**row)


@router.get("/notifications", response_model=NotificationPage)
def list_notifications(
    store: Store,
    caller: Caller,
    status: Annotated[str | None, Query(max_length=20)] = None,
    recipient: Annotated[str | None, Query(max_length=200)] = None,
    cause_event_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Limit = 100,
) -> NotificationPage:
    """Notices, newest first; ``status=failed`` lists those staff must act on."""
    with store.reading() as conn:
        rows = queries.notification_rows(
            conn, status=status, recipient_id=recipient, cause_event_id=cause_event_id,
            limit=limit,
        )  # fmt: skip
    return NotificationPage(items=[notification_view(row, caller) for row in rows])


@router.get("/notifications/{notification_id}", responses={404: {"description": "Unknown"}})
def get_notification(
    notification_id: NotificationId, store: Store, caller: Caller
) -> NotificationView:
    """A notice's delivery status, its attempts, and the event that caused it."""
    with store.reading() as conn:
        row = queries.notification_row(conn, notification_id)
    if row is None:
        raise HTTPException(404, f"notification {notification_id} is unknown")
    return notification_view(row, caller)


@router.post("/notifications/{notification_id}/resend", responses=COMMAND_RESPONSES)
def resend_notification(
    notification_id: NotificationId, body: Resend, app: App, metadata: Metadata, now: Clock
) -> CommandResult:
    """Send a notice again (a failed one once the directory is fixed, or on request)."""
    command = ResendNotification(notification_id=notification_id, reason=body.reason, at=now())
    return run_command(app, command, metadata)


@router.post("/notifications/{notification_id}/acknowledge", responses=COMMAND_RESPONSES)
def acknowledge_notification(
    notification_id: NotificationId, app: App, metadata: Metadata, caller: Caller, now: Clock
) -> CommandResult:
    """Record that the recipient confirmed the notice (a body or bureau answering, say); a
    notice to a person's inbox only they (or a head or admin) confirm, as in marking it read."""
    command = AcknowledgeNotification(
        notification_id=notification_id, by=metadata.actor.id, at=now()
    )

    def inbox_owner_only(state: Notification | None) -> None:
        if state is not None and is_inbox(state.recipient):
            check_inbox_access(caller, state.recipient, reading=False)

    return run_command(app, command, metadata, guard=inbox_owner_only)


@router.get("/inbox/{recipient_id}", response_model=InboxPage)
def list_inbox(
    recipient_id: RecipientId,
    store: Store,
    caller: Caller,
    unread: Annotated[bool, Query(description="only unread notices")] = False,
    limit: Limit = 100,
) -> InboxPage:
    """A recipient's in-app inbox, newest first (one's own, unless a head, admin or auditor)."""
    check_inbox_access(caller, recipient_id, reading=True)
    with store.reading() as conn:
        rows = queries.inbox_rows(conn, recipient_id, unread, limit)
        unread_count = len(queries.inbox_rows(conn, recipient_id, True, 10_000))
    return InboxPage(items=[InboxNotice(**row) for row in rows], unread=unread_count)


@router.post("/inbox/{recipient_id}/{notification_id}/read", responses=COMMAND_RESPONSES)
def mark_inbox_notice_read(
    recipient_id: RecipientId,
    notification_id: NotificationId,
    app: App,
    metadata: Metadata,
    caller: Caller,
    now: Clock,
) -> CommandResult:
    """Mark an inbox notice read (one's own, unless a head or admin): it counts as acknowledged."""
    check_inbox_access(caller, recipient_id, reading=False)
    at = now()
    with app.store.transaction() as conn:
        if queries.inbox_owner(conn, notification_id) != recipient_id:
            raise HTTPException(404, f"no notice {notification_id} in {recipient_id}'s inbox")
        mark_read(conn, notification_id, at)
        command = AcknowledgeNotification(
            notification_id=notification_id, by=metadata.actor.id, at=at
        )
        recorded = app.execute(command, metadata, conn=conn)
    return CommandResult.of("notification", notification_id, recorded)


@router.get("/reminders", response_model=ReminderPage)
def list_reminders(
    store: Store, series: Annotated[str | None, Query(max_length=200)] = None
) -> ReminderPage:
    """Stored deadline reminders (pending, fired, cancelled), by fire time."""
    rows = pending_reminders(store, series)
    for row in rows:
        row["fire_at"], row["fired_at"] = aware(row["fire_at"]), aware(row["fired_at"])
    return ReminderPage(items=[ReminderView(**row) for row in rows])
