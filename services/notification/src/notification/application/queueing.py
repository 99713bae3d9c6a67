"""From a rule's targets to queued notices: resolve who, write it in their language, queue it.

Resolution uses the local facts (certificates, dossiers, cases) as this service last heard
them. A fact not yet known never silences a notice: a certificate this service never heard of,
a dossier without a named custodian, or a case without an officer sends the notice to the
section head instead, who can forward it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import Connection

from ccc_shared.eventstore.envelope import EventMetadata
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import execute_in_turn
from notification.application.aggregates import NOTIFICATION, is_queued, notification_id
from notification.domain.notification_commands import (
    NotificationCommand,
    QueueNotification,
    RecordDelivery,
    StartAttempt,
)
from notification.domain.rules import SECTION_HEAD, Target
from notification.domain.templates import render
from notification.projections import queries
from notification.projections.read_models import put_in_inbox

log = structlog.get_logger("notification.queueing")


def resolve(conn: Connection, target: Target) -> list[str]:
    """The directory ids a target names now."""
    match target.kind:
        case "recipient":
            return [target.key]
        case "staff":
            return [f"staff:{target.key}"]
        case "body_of_certificate":
            body = queries.body_of_certificate(conn, target.key)
            return [f"certification_body:{body}" if body else SECTION_HEAD]
        case "bodies_of_enterprise":
            codes = queries.bodies_of_enterprise(conn, target.key)
            return [f"certification_body:{code}" for code in codes]
        case "custodian_of_enterprise":
            custodian = queries.custodian_of_enterprise(conn, target.key)
            return [f"staff:{custodian}" if custodian else SECTION_HEAD]
        case "officer_of_case":
            officer = queries.officer_of_case(conn, target.key)
            return [f"staff:{officer}" if officer else SECTION_HEAD]
    return []


def queue_notices(
    store: SqlEventStore,
    conn: Connection,
    *,
    rule: str,
    template: str,
    targets: list[Target],
    params: Mapping[str, Any],
    cause_event_id: str,
    cause_event_type: str,
    metadata: EventMetadata,
    at: datetime,
) -> list[str]:
    """Queue one notice per resolved recipient (once per cause, recipient and rule)."""
    queued = []
    recipients = {recipient for target in targets for recipient in resolve(conn, target)}
    if targets and not recipients:
        log.info("rule found no recipient", rule=rule, cause_event_id=cause_event_id)
    for recipient_id in sorted(recipients):
        notice = notification_id(cause_event_id, recipient_id, rule)
        if is_queued(store, notice, conn):
            continue
        entry = queries.recipient(conn, recipient_id)
        language = entry.language if entry else "zh"
        facts = {**params, "cause_event_id": cause_event_id,
                 "cause_event_type": cause_event_type}  # fmt: skip
        subject, body = render(template, language, facts)
        commands: list[NotificationCommand] = [
            QueueNotification(
                notification_id=notice, rule=rule, recipient=recipient_id, language=language,
                subject=subject, body=body, cause_event_id=cause_event_id,
                cause_event_type=cause_event_type, payload=dict(params), at=at,
            )
        ]  # fmt: skip
        to_inbox = entry is not None and entry.channels and entry.channels[0].channel == "inbox"
        if to_inbox:
            commands += inbox_delivery(notice, at)
        recorded = execute_in_turn(store, NOTIFICATION, commands, metadata, conn=conn)
        if to_inbox:
            state = NOTIFICATION.replay(event.data for event in recorded)
            assert state is not None
            put_in_inbox(conn, state, at)
        queued.append(notice)
    return queued


def inbox_delivery(notice: str, at: datetime) -> list[NotificationCommand]:
    """An inbox takes a notice at once and cannot fail: it is delivered as it is queued.

    The notice still goes queued -> attempt -> delivered (the same events the dispatcher would
    record), decided in turn and appended with the queueing in one write, without waiting for
    a dispatcher round or more transactions.
    """
    delivered = RecordDelivery(
        notification_id=notice, channel="inbox", address="", confirmed=True, at=at
    )
    return [StartAttempt(notification_id=notice, at=at), delivered]
