"""Writers of the notification service's tables, called inside the transaction that appended
or consumed, so a reader never sees a notification without its row or a fact half applied.

Times are stored in UTC (SQLite keeps no zone; ``aware`` puts it back on the way out).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, update

from ccc_shared.eventstore.migrate import upgrade
from ccc_shared.readmodels import delete_rows, insert_rows, replace_row, update_row
from notification.domain.directory import Recipient
from notification.domain.notifications import Notification
from notification.projections.tables import (
    cases,
    certificates,
    certification_bodies,
    enterprises,
    inbox,
    notifications,
    recipients,
    webhook_secrets,
)

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "notification_alembic_version"
TIME_FIELDS = (
    "queued_at", "next_attempt_at", "attempt_started_at", "sent_at", "delivered_at",
    "acknowledged_at", "failed_at",
)  # fmt: skip
CERTIFICATE_STATUS = {
    "CertificateSuspended": "suspended",
    "CertificateReinstated": "valid",
    "CertificateCancelled": "cancelled",
    "CertificateRevoked": "revoked",
    "CertificateExpired": "expired",
    "CertificateRenewed": "valid",
}


def migrate(engine: Engine) -> None:
    """Create or upgrade the notification tables (their own alembic version table)."""
    upgrade(engine, MIGRATIONS, VERSION_TABLE)


def utc(moment: datetime | None) -> datetime | None:
    """A time as stored: UTC."""
    return None if moment is None else moment.astimezone(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored time with its zone (SQLite hands back naive UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def save_notification(state: Notification, version: int, conn: Connection) -> None:
    """Replace the notification's row with its latest state."""
    row = state.model_dump(exclude={"payload", "address"})
    row.update({name: utc(row[name]) for name in TIME_FIELDS})
    row["payload"] = json.dumps(state.payload, ensure_ascii=False)
    replace_row(conn, notifications, "notification_id", row | {"version": version})


def save_recipient(state: Recipient, version: int, conn: Connection) -> None:
    """Replace a recipient's directory row (a removed one has none)."""
    delete_rows(conn, recipients, "recipient_id", recipient_id=state.recipient_id)
    if state.removed:
        delete_rows(conn, webhook_secrets, "recipient_id", recipient_id=state.recipient_id)
        return
    channels = json.dumps([c.model_dump() for c in state.channels], ensure_ascii=False)
    row = state.model_dump(exclude={"channels", "removed"})
    insert_rows(conn, recipients, row | {"channels": channels, "version": version})


def save_webhook_secrets(conn: Connection, recipient_id: str, secrets: Mapping[str, str]) -> None:
    """Keep a recipient's webhook signing secrets (by URL), replacing the earlier ones."""
    delete_rows(conn, webhook_secrets, "recipient_id", recipient_id=recipient_id)
    rows = [{"recipient_id": recipient_id, "url": url, "secret": secret}
            for url, secret in secrets.items()]  # fmt: skip
    insert_rows(conn, webhook_secrets, rows)


def put_in_inbox(conn: Connection, state: Notification, at: datetime) -> None:
    """Leave a notice in its recipient's inbox (once: the notification id is the key)."""
    key = {"notification_id": state.notification_id}
    values = {"recipient": state.recipient, "subject": state.subject, "body": state.body,
              "cause_event_id": state.cause_event_id, "received_at": utc(at)}  # fmt: skip
    # a resend: the notice shows again as unread
    if not update_row(conn, inbox, "notification_id", key, values | {"read_at": None}):
        insert_rows(conn, inbox, key | values)


def mark_read(conn: Connection, notification_id: str, at: datetime) -> None:
    """Mark an inbox notice read (the first reading counts)."""
    conn.execute(
        update(inbox)
        .where(inbox.c.notification_id == notification_id, inbox.c.read_at.is_(None))
        .values(read_at=utc(at))
    )


def apply_fact(event_type: str, data: Mapping[str, Any], conn: Connection) -> None:
    """Keep the facts the rules look up: certificates, enterprises, bodies, case officers."""
    if event_type == "CertificateRegistered":
        replace_row(conn, certificates, "number", {
            "number": data["certificate_number"], "holder_credit_code": data["holder_credit_code"],
            "certification_body": data["certification_body"], "status": "valid"})  # fmt: skip
    elif event_type in CERTIFICATE_STATUS:
        update_row(conn, certificates, "number", {"number": data["certificate_number"]},
                   {"status": CERTIFICATE_STATUS[event_type]})  # fmt: skip
    elif event_type == "EnterpriseRegistered":
        replace_row(conn, enterprises, "credit_code", {
            "credit_code": data["credit_code"], "name": data["name"],
            "custodian_id": data.get("custodian_id")})  # fmt: skip
    elif event_type == "CustodianAssigned":
        update_row(conn, enterprises, "credit_code", data,
                   {"custodian_id": data["custodian_id"]})  # fmt: skip
    elif event_type == "EnterpriseProfileUpdated" and data.get("name"):
        update_row(conn, enterprises, "credit_code", data, {"name": data["name"]})
    elif event_type == "CertificationBodyRegistered":
        replace_row(conn, certification_bodies, "code", {
            "code": data["code"], "name": data["name"], "contact": data["contact"]})  # fmt: skip
    elif event_type in ("CaseOpened", "CaseAssigned"):
        values = {"subject_credit_code": data.get("subject_credit_code")}
        if event_type == "CaseAssigned":
            values |= {"department": data.get("department"), "officer": data.get("officer")}
        if not update_row(conn, cases, "case_number", data, values):
            insert_rows(conn, cases, values | {"case_number": data["case_number"]})
