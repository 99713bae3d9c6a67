"""The channels a notice leaves by: a signed webhook POST, an email over SMTP, the inbox.

Every delivery carries the notification id and an idempotency key (the id and the delivery
round), so a receiver that saw the notice already (a retry after a crash mid-send) can drop it.
A webhook body is signed with HMAC-SHA256 over ``"<timestamp>.<body>"`` (header
``X-CCC-Signature: sha256=<hex>``, timestamp in ``X-CCC-Timestamp``), so the receiver knows
the bureau sent it and can refuse old replays. A webhook goes only where the allow-list lets
it, judged again at each send (``destinations``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

import httpx
import structlog

from notification.application.destinations import DestinationRefusedError, WebhookGuard
from notification.domain.notifications import Notification

SIGNATURE_HEADER = "X-CCC-Signature"
TIMESTAMP_HEADER = "X-CCC-Timestamp"
NOTIFICATION_HEADER = "X-CCC-Notification-Id"
IDEMPOTENCY_HEADER = "Idempotency-Key"
log = structlog.get_logger("notification.channels")


class DeliveryError(Exception):
    """A channel did not take the notice (the message says why)."""


@dataclass(frozen=True)
class SmtpServer:
    """Where email leaves from."""

    host: str
    port: int
    sender: str
    timeout: float


def idempotency_key(notice: Notification) -> str:
    """The same for every attempt of one delivery round; a resend starts a new round."""
    return f"{notice.notification_id}-{notice.round}"


def webhook_body(notice: Notification) -> dict[str, Any]:
    """The JSON a webhook receives: the notice, its cause, and the facts it was written from."""
    return {
        "notification_id": notice.notification_id,
        "rule": notice.rule,
        "recipient": notice.recipient,
        "language": notice.language,
        "subject": notice.subject,
        "body": notice.body,
        "cause_event_id": notice.cause_event_id,
        "cause_event_type": notice.cause_event_type,
        "data": notice.payload,
    }


def sign(secret: str, timestamp: str, raw: bytes) -> str:
    """The signature header value of a webhook body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def post_webhook(
    client: httpx.Client,
    notice: Notification,
    url: str,
    secret: str | None,
    timeout: float,
    guard: WebhookGuard,
) -> None:
    """POST the notice to an allowed address; a refused destination, anything but a 2xx answer
    or no answer in time is a DeliveryError (nothing is sent to a refused destination)."""
    try:
        aimed, host, extensions = guard.pinned(url)
    except DestinationRefusedError as refused:
        log.warning("webhook destination refused", notification_id=notice.notification_id,
                    url=url, reason=str(refused))  # fmt: skip
        raise DeliveryError(f"webhook {url}: destination refused: {refused}") from refused
    raw = json.dumps(webhook_body(notice), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        **host,
        "Content-Type": "application/json; charset=utf-8",
        NOTIFICATION_HEADER: notice.notification_id,
        IDEMPOTENCY_HEADER: idempotency_key(notice),
        TIMESTAMP_HEADER: timestamp,
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, raw)
    try:
        response = client.post(
            aimed, content=raw, headers=headers, timeout=timeout, extensions=extensions
        )
    except httpx.HTTPError as error:
        raise DeliveryError(f"webhook {url}: {type(error).__name__}: {error}") from error
    if not response.is_success:
        raise DeliveryError(f"webhook {url}: HTTP {response.status_code}")


def send_email(server: SmtpServer, notice: Notification, address: str, name: str) -> None:
    """Hand the notice to the SMTP server; a refusal or no answer is a DeliveryError."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = formataddr((name, address))
    message["Subject"] = notice.subject
    message["Message-ID"] = f"<{idempotency_key(notice)}@ccc-notification>"
    message[NOTIFICATION_HEADER] = notice.notification_id
    message[IDEMPOTENCY_HEADER] = idempotency_key(notice)
    message.set_content(notice.body)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"email {address}: {type(error).__name__}: {error}") from error
