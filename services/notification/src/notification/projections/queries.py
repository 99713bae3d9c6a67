"""Readers of the notification service's tables: facts for the rules, directory, notices."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, or_, select

from ccc_shared.readmodels import find_row, find_value
from notification.domain.directory import INBOX_BY_DEFAULT, ChannelAddress, Recipient, kind_of
from notification.domain.templates import CODE_FIELDS
from notification.projections.read_models import aware, utc
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


def body_of_certificate(conn: Connection, number: str) -> str | None:
    """The code of the certification body that issued a certificate, if known."""
    body = find_value(conn, certificates, "certification_body", "number", {"number": number})
    return None if body is None else str(body)


def bodies_of_enterprise(conn: Connection, credit_code: str) -> list[str]:
    """The codes of every body that certified an enterprise, sorted."""
    rows = conn.execute(
        select(certificates.c.certification_body)
        .where(certificates.c.holder_credit_code == credit_code)
        .distinct()
    )
    return sorted(str(row[0]) for row in rows)


def custodian_of_enterprise(conn: Connection, credit_code: str) -> str | None:
    """The user id keeping an enterprise's dossier, if named."""
    key = {"credit_code": credit_code}
    custodian = find_value(conn, enterprises, "custodian_id", "credit_code", key)
    return None if custodian is None else str(custodian)


def officer_of_case(conn: Connection, case_number: str) -> str | None:
    """The user id of the officer a case is assigned to, if any."""
    officer = find_value(conn, cases, "officer", "case_number", {"case_number": case_number})
    return None if officer is None else str(officer)


def names_of(conn: Connection, data: Mapping[str, Any]) -> dict[str, str]:
    """The names of the enterprise and certification body an event names, where known."""
    names = {}
    code = next((data[f] for f in CODE_FIELDS if data.get(f)), None)
    if code:
        name = find_value(conn, enterprises, "name", "credit_code", {"credit_code": code})
        if name is not None:
            names["enterprise_name"] = str(name)
    body = data.get("certification_body")
    if body:
        name = find_value(conn, certification_bodies, "name", "code", {"code": body})
        if name is not None:
            names["certification_body_name"] = str(name)
    return names


def recipient(conn: Connection, recipient_id: str) -> Recipient | None:
    """A recipient's entry; staff and the section head have their inbox even without one."""
    row = find_row(conn, recipients, "recipient_id", {"recipient_id": recipient_id})
    if row is not None:
        entry = dict(row)
        entry.pop("version")
        entry["channels"] = json.loads(entry["channels"])
        return Recipient(**entry)
    kind = kind_of(recipient_id)
    if kind in INBOX_BY_DEFAULT:
        return Recipient(recipient_id=recipient_id, kind=kind, name=recipient_id,
                         language="zh", channels=[ChannelAddress(channel="inbox")])  # fmt: skip
    return None


def recipients_list(conn: Connection, kind: str | None) -> list[dict[str, Any]]:
    """The directory, optionally of one kind, sorted by id."""
    query = select(recipients).order_by(recipients.c.recipient_id)
    if kind:
        query = query.where(recipients.c.kind == kind)
    found = []
    for row in conn.execute(query):
        entry = dict(row._mapping)
        entry["channels"] = json.loads(entry["channels"])
        found.append(entry)
    return found


def webhook_secret(conn: Connection, recipient_id: str, url: str) -> str | None:
    """The secret a recipient's webhook signs with, if it has one."""
    row = conn.execute(
        select(webhook_secrets.c.secret).where(
            webhook_secrets.c.recipient_id == recipient_id, webhook_secrets.c.url == url
        )
    ).first()
    return None if row is None else str(row[0])


def due_for_delivery(
    conn: Connection, now: datetime, stale_after: timedelta, limit: int
) -> list[str]:
    """Notifications to attempt now: queued or retrying and due, or stuck mid-send (a crash)."""
    query = (
        select(notifications.c.notification_id)
        .where(
            or_(
                notifications.c.status.in_(("queued", "retrying"))
                & (notifications.c.next_attempt_at <= utc(now)),
                (notifications.c.status == "sending")
                & (notifications.c.attempt_started_at <= utc(now - stale_after)),
            )
        )
        .order_by(notifications.c.next_attempt_at)
        .limit(limit)
    )
    return [str(row[0]) for row in conn.execute(query)]


def notification_row(conn: Connection, notification_id: str) -> dict[str, Any] | None:
    """One notification as stored, times with their zone."""
    row = conn.execute(
        select(notifications).where(notifications.c.notification_id == notification_id)
    ).first()
    return None if row is None else _notification(dict(row._mapping))


def notification_rows(
    conn: Connection,
    *,
    status: str | None,
    recipient_id: str | None,
    cause_event_id: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Notifications, newest first, filtered by status, recipient or cause."""
    query = select(notifications).order_by(notifications.c.queued_at.desc()).limit(limit)
    if status:
        query = query.where(notifications.c.status == status)
    if recipient_id:
        query = query.where(notifications.c.recipient == recipient_id)
    if cause_event_id:
        query = query.where(notifications.c.cause_event_id == cause_event_id)
    return [_notification(dict(row._mapping)) for row in conn.execute(query)]


def _notification(row: dict[str, Any]) -> dict[str, Any]:
    row["payload"] = json.loads(row["payload"])
    for name, value in row.items():
        if isinstance(value, datetime):
            row[name] = aware(value)
    return row


def inbox_rows(
    conn: Connection, recipient_id: str, unread_only: bool, limit: int
) -> list[dict[str, Any]]:
    """A recipient's inbox, newest first."""
    query = (
        select(inbox)
        .where(inbox.c.recipient == recipient_id)
        .order_by(inbox.c.received_at.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(inbox.c.read_at.is_(None))
    rows = []
    for row in conn.execute(query):
        item = dict(row._mapping)
        item["received_at"] = aware(item["received_at"])
        item["read_at"] = aware(item["read_at"])
        rows.append(item)
    return rows


def inbox_owner(conn: Connection, notification_id: str) -> str | None:
    """Whose inbox holds a notice."""
    row = conn.execute(
        select(inbox.c.recipient).where(inbox.c.notification_id == notification_id)
    ).first()
    return None if row is None else str(row[0])
