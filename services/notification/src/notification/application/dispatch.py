"""The dispatcher: delivers queued notices, outside any subscription's transaction.

Each round (a periodic job): find the notices due, as many as there are free senders; for
each, record the attempt in its own transaction *before* sending (so a crash mid-send is known
to have tried, and the retry carries the same idempotency key), and hand it to a sender thread,
which sends over the recipient's channels in order until one takes it and records the outcome.
The round does not wait for the sends, so one slow webhook holds one sender, not the others.
A failure is retried after an exponentially growing delay, and after the last attempt the
notice is failed (``NotificationFailed`` is published) and the section head finds a notice
about it in the inbox: a notice is never dropped silently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import structlog
from sqlalchemy import Connection

from ccc_shared.contracts.notification import NotificationFailed
from ccc_shared.domain import DomainError
from ccc_shared.eventstore.envelope import Actor, EventMetadata, RecordedEvent
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import execute
from ccc_shared.sealing import Seal
from notification.application.aggregates import NOTIFICATION, notification_state
from notification.application.channels import (
    DeliveryError,
    SmtpServer,
    post_webhook,
    send_email,
)
from notification.application.destinations import WebhookGuard
from notification.application.queueing import queue_notices
from notification.domain.notification_commands import RecordDelivery, RecordFailure, StartAttempt
from notification.domain.notification_events import Channel
from notification.domain.notifications import Notification
from notification.domain.rules import SECTION_HEAD, Target
from notification.projections import queries
from notification.projections.read_models import put_in_inbox

log = structlog.get_logger("notification.dispatch")


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard to try: attempts, backoff, timeouts, and how long a send may look stuck."""

    max_attempts: int = 5
    first_delay_seconds: float = 30.0
    backoff_factor: float = 2.0
    webhook_timeout_seconds: float = 10.0
    stale_after_seconds: float = 300.0
    workers: int = 4


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the channel that took it, or why none did."""

    notification_id: str
    channel: Channel | None = None
    address: str = ""
    confirmed: bool = False
    error: str = ""


class Dispatcher:
    """Delivers due notices; ``deliver_due`` is the periodic job, ``close`` ends the senders."""

    def __init__(
        self,
        store: SqlEventStore,
        service_name: str,
        policy: DeliveryPolicy,
        smtp: SmtpServer,
        now: Callable[[], datetime],
        seal: Seal,
        guard: WebhookGuard,
    ) -> None:
        self.store = store
        self.guard = guard  # the allow-list, judged again at every send
        self.seal = seal  # webhook secrets are stored sealed
        self.policy = policy
        self.smtp = smtp
        self.now = now
        self.actor = Actor.service(service_name)
        self._client = httpx.Client()
        self._pool = ThreadPoolExecutor(policy.workers, thread_name_prefix="notification-send")
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._closed = False

    def deliver_due(self) -> int:
        """Claim due notices for the free senders and hand them over; return how many.

        Returns without waiting for the sends: a slow webhook keeps one sender busy, while the
        others go on with the next rounds' notices.
        """
        with self._lock:
            free = self.policy.workers - len(self._in_flight)
            busy = set(self._in_flight)
        if self._closed or free <= 0:
            return 0
        with self.store.reading() as conn:
            due = queries.due_for_delivery(
                conn, self.now(), timedelta(seconds=self.policy.stale_after_seconds),
                free + len(busy),
            )  # fmt: skip
        handed = 0
        for notification in [n for n in due if n not in busy][:free]:
            notice = self._claim(notification)
            if notice is None:
                continue
            with self._lock:
                self._in_flight.add(notification)
            self._pool.submit(self._deliver, notice)
            handed += 1
        return handed

    def close(self) -> None:
        """Let the sends in flight finish and record their outcome, then stop the senders."""
        self._closed = True
        self._pool.shutdown(wait=True)
        self._client.close()

    def _deliver(self, notice: Notification) -> None:
        """Send one claimed notice and record what came of it (in a sender thread)."""
        try:
            self._record(self._send(self._client, notice))
        except Exception:  # the attempt stays recorded: it is retried once stale
            log.exception("delivery crashed", notification_id=notice.notification_id)
        finally:
            with self._lock:
                self._in_flight.discard(notice.notification_id)

    def _metadata(self) -> EventMetadata:
        return EventMetadata(actor=self.actor)

    def _claim(self, notification_id: str) -> Notification | None:
        """Record the attempt before sending; None if another worker got there first."""
        try:
            with self.store.transaction() as conn:
                command = StartAttempt(notification_id=notification_id, at=self.now())
                execute(self.store, NOTIFICATION, command, self._metadata(), conn=conn)
                return notification_state(self.store, notification_id, conn)
        except (ConcurrencyError, DomainError):
            return None

    def _send(self, client: httpx.Client, notice: Notification) -> Outcome:
        """Try the recipient's channels in order; the first that takes the notice wins."""
        with self.store.reading() as conn:
            entry = queries.recipient(conn, notice.recipient)
            secrets = {
                c.address: self.seal.open(queries.webhook_secret(conn, notice.recipient, c.address))
                for c in (entry.channels if entry else [])
                if c.channel == "webhook"
            }
        if entry is None:
            return Outcome(notice.notification_id, error=f"{notice.recipient} is not listed")
        errors = []
        for way in entry.channels:
            try:
                if way.channel == "webhook":
                    timeout = self.policy.webhook_timeout_seconds
                    secret = secrets[way.address]
                    post_webhook(client, notice, way.address, secret, timeout, self.guard)
                elif way.channel == "email":
                    send_email(self.smtp, notice, way.address, entry.name)
            except DeliveryError as error:
                errors.append(str(error))
                continue
            # a webhook's 2xx and the inbox row are the receiver's own confirmation
            confirmed = way.channel != "email"
            return Outcome(notice.notification_id, way.channel, way.address, confirmed)
        return Outcome(notice.notification_id, error="; ".join(errors) or "no channel")

    def _record(self, outcome: Outcome) -> None:
        """Record a delivery, a retry, or the failure (and tell the section head of it)."""
        at = self.now()
        with self.store.transaction() as conn:
            if outcome.channel is not None:
                command: RecordDelivery | RecordFailure = RecordDelivery(
                    notification_id=outcome.notification_id, channel=outcome.channel,
                    address=outcome.address, confirmed=outcome.confirmed, at=at,
                )  # fmt: skip
            else:
                policy = self.policy
                command = RecordFailure(
                    notification_id=outcome.notification_id, error=outcome.error, at=at,
                    max_attempts=policy.max_attempts,
                    first_delay_seconds=policy.first_delay_seconds,
                    backoff_factor=policy.backoff_factor,
                )  # fmt: skip
                log.warning("delivery failed", notification_id=outcome.notification_id,
                            error=outcome.error)  # fmt: skip
            recorded = execute(self.store, NOTIFICATION, command, self._metadata(), conn=conn)
            if outcome.channel == "inbox":
                state = notification_state(self.store, outcome.notification_id, conn)
                assert state is not None
                put_in_inbox(conn, state, at)
            for event in recorded:
                if isinstance(event.data, NotificationFailed):
                    self._tell_section_head(conn, event, at)

    def _tell_section_head(self, conn: Connection, failure: RecordedEvent, at: datetime) -> None:
        """A failed notice becomes an inbox notice to the section head (the inbox cannot fail)."""
        data = failure.data
        assert isinstance(data, NotificationFailed)
        if data.recipient == SECTION_HEAD:
            return
        queue_notices(
            self.store, conn,
            rule="delivery_failed", template="delivery_failed",
            targets=[Target("recipient", SECTION_HEAD)], params=data.model_dump(mode="json"),
            cause_event_id=failure.event_id, cause_event_type=failure.event_type,
            metadata=EventMetadata.caused_by(failure, self.actor), at=at,
        )  # fmt: skip
