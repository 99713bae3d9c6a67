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

from sqlalchemy import Connection, Engine, delete, insert, select, update

from ccc_shared.eventstore.migrate import upgrade
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
    conn.execute(
        delete(notifications).where(notifications.c.notification_id == state.notification_id)
    )
    conn.execute(insert(notifications).values(**row, version=version))


def save_recipient(state: Recipient, version: int, conn: Connection) -> None:
    """Replace a recipient's directory row (a removed one has none)."""
    conn.execute(delete(recipients).where(recipients.c.recipient_id == state.recipient_id))
    if state.removed:
        conn.execute(
            delete(webhook_secrets).where(webhook_secrets.c.recipient_id == state.recipient_id)
        )
        return
    channels = json.dumps([c.model_dump() for c in state.channels], ensure_ascii=False)
    row = state.model_dump(exclude={"channels", "removed"})
    conn.execute(insert(recipients).values(**row, channels=channels, version=version))


def save_webhook_secrets(conn: Connection, recipient_id: str, secrets: Mapping[str, str]) -> None:
    """Keep a recipient's webhook signing secrets (by URL), replacing the earlier ones."""
    conn.execute(delete(webhook_secrets).where(webhook_secrets.c.recipient_id == recipient_id))
    for url, secret in secrets.items():
        conn.execute(insert(webhook_secrets).values(recipient_id=recipient_id, url=url,
                                                    secret=secret))  # fmt: skip


def put_in_inbox(conn: Connection, state: Notification, at: datetime) -> None:
    """Leave a notice in its recipient's inbox (once: the notification id is the key)."""
    found = conn.execute(
        select(inbox.c.notification_id).where(inbox.c.notification_id == state.notification_id)
    ).first()
    values = {"recipient": state.recipient, "subject": state.subject, "body": state.body,
              "cause_event_id": state.cause_event_id}  # fmt: skip
    if found is None:
        conn.execute(insert(inbox).values(notification_id=state.notification_id,
                                          received_at=utc(at), **values))  # fmt: skip
    else:  # a resend: the notice shows again as unread
        conn.execute(update(inbox).where(inbox.c.notification_id == state.notification_id)
                     .values(read_at=None, received_at=utc(at), **values))  # fmt: skip


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
        _replace(conn, certificates, certificates.c.number, data["certificate_number"],
                 holder_credit_code=data["holder_credit_code"],
                 certification_body=data["certification_body"], status="valid")  # fmt: skip
    elif event_type in CERTIFICATE_STATUS:
        conn.execute(update(certificates)
                     .where(certificates.c.number == data["certificate_number"])
                     .values(status=CERTIFICATE_STATUS[event_type]))  # fmt: skip
    elif event_type == "EnterpriseRegistered":
        _replace(conn, enterprises, enterprises.c.credit_code, data["credit_code"],
                 name=data["name"], custodian_id=data.get("custodian_id"))  # fmt: skip
    elif event_type == "CustodianAssigned":
        conn.execute(update(enterprises).where(enterprises.c.credit_code == data["credit_code"])
                     .values(custodian_id=data["custodian_id"]))  # fmt: skip
    elif event_type == "EnterpriseProfileUpdated" and data.get("name"):
        conn.execute(update(enterprises).where(enterprises.c.credit_code == data["credit_code"])
                     .values(name=data["name"]))  # fmt: skip
    elif event_type == "CertificationBodyRegistered":
        _replace(conn, certification_bodies, certification_bodies.c.code, data["code"],
                 name=data["name"], contact=data["contact"])  # fmt: skip
    elif event_type in ("CaseOpened", "CaseAssigned"):
        values = {"subject_credit_code": data.get("subject_credit_code")}
        if event_type == "CaseAssigned":
            values |= {"department": data.get("department"), "officer": data.get("officer")}
        number = data["case_number"]
        found = conn.execute(select(cases.c.officer).where(cases.c.case_number == number)).first()
        if found is None:
            conn.execute(insert(cases).values(case_number=data["case_number"], **values))
        else:
            conn.execute(update(cases).where(cases.c.case_number == data["case_number"])
                         .values(**values))  # fmt: skip


def _replace(conn: Connection, table: Any, key_column: Any, key: str, **values: Any) -> None:
    conn.execute(delete(table).where(key_column == key))
    conn.execute(insert(table).values({key_column.name: key, **values}))
