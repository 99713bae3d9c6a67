"""The Notification aggregate, given/when/then: queue once, attempt, retry with backoff, fail
loudly, resend, acknowledge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccc_shared.contracts.notification import NotificationFailed, NotificationSent
from ccc_shared.domain import DomainError
from notification.domain import notifications
from notification.domain.notification_commands import (
    AcknowledgeNotification,
    NotificationCommand,
    QueueNotification,
    RecordDelivery,
    RecordFailure,
    ResendNotification,
    StartAttempt,
)
from notification.domain.notification_events import (
    DeliveryAttempted,
    DeliveryFailed,
    NotificationDelivered,
    NotificationQueued,
    ResendRequested,
)

pytestmark = pytest.mark.unit
ID = "0" * 32
AT = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
CAUSE = "0190aaaa-0000-7000-8000-000000000001"
TODAY = date(2026, 6, 1)


def queue() -> QueueNotification:
    return QueueNotification(
        notification_id=ID, rule="violation_to_certification_body",
        recipient="certification_body:CCCF", subject="s", body="b", cause_event_id=CAUSE,
        cause_event_type="ViolationFound", at=AT,
    )  # fmt: skip


def failure(at: datetime = AT, max_attempts: int = 3) -> RecordFailure:
    return RecordFailure(notification_id=ID, error="HTTP 500", at=at, max_attempts=max_attempts,
                         first_delay_seconds=10, backoff_factor=2)  # fmt: skip


def run(*commands: NotificationCommand) -> tuple[notifications.Notification | None, list[Any]]:
    """Apply commands in order; return the state and the events of the last one."""
    state: notifications.Notification | None = None
    events: list[Any] = []
    for command in commands:
        events = notifications.decide(state, command, TODAY)
        for event in events:
            state = notifications.evolve(state, event)
    return state, events


def attempt(at: datetime = AT) -> StartAttempt:
    return StartAttempt(notification_id=ID, at=at)


def test_queuing_the_same_notice_twice_writes_it_once() -> None:
    state, events = run(queue())
    assert [type(e) for e in events] == [NotificationQueued]
    assert state is not None
    assert state.status == "queued"
    assert notifications.decide(state, queue(), TODAY) == []


def test_an_attempt_is_recorded_before_sending_and_a_2xx_delivers() -> None:
    state, events = run(queue(), attempt())
    assert events == [DeliveryAttempted(notification_id=ID, attempt=1, round=1, at=AT)]
    done = RecordDelivery(notification_id=ID, channel="webhook", address="http://x",
                          confirmed=True, at=AT)  # fmt: skip
    state, events = run(queue(), attempt(), done)
    assert [type(e) for e in events] == [NotificationSent, NotificationDelivered]
    assert state is not None
    assert state.status == "delivered"


def test_email_is_sent_not_delivered_until_acknowledged() -> None:
    sent = RecordDelivery(notification_id=ID, channel="email", address="a@b.cn",
                          confirmed=False, at=AT)  # fmt: skip
    ack = AcknowledgeNotification(notification_id=ID, by="head-1", at=AT)
    state, _events = run(queue(), attempt(), sent, ack)
    assert state is not None
    assert state.status == "acknowledged"
    assert notifications.decide(state, ack, TODAY) == []


def test_failures_back_off_exponentially_then_the_failure_is_published() -> None:
    state, events = run(queue(), attempt(), failure())
    assert events[0].retry_at == AT + timedelta(seconds=10)
    state, events = run(queue(), attempt(), failure(), attempt(), failure())
    assert events[0].retry_at == AT + timedelta(seconds=20)
    assert state is not None
    assert state.status == "retrying"
    state, events = run(queue(), attempt(), failure(), attempt(), failure(), attempt(), failure())
    assert [type(e) for e in events] == [DeliveryFailed, NotificationFailed]
    assert events[1].attempts == 3
    assert events[1].last_error == "HTTP 500"
    assert state is not None
    assert state.status == "failed"


def test_a_failed_notice_can_be_resent_with_a_new_round() -> None:
    resend = ResendNotification(notification_id=ID, reason="directory fixed", at=AT)
    state, events = run(queue(), attempt(), failure(max_attempts=1), resend)
    assert [type(e) for e in events] == [ResendRequested]
    assert state is not None
    assert (state.status, state.attempts, state.round) == ("queued", 0, 2)


def test_a_notice_being_sent_cannot_be_resent_nor_one_never_queued_attempted() -> None:
    resend = ResendNotification(notification_id=ID, reason="again", at=AT)
    with pytest.raises(DomainError, match="cannot resend"):
        run(queue(), attempt(), resend)
    with pytest.raises(DomainError, match="never queued"):
        run(attempt())


def test_an_attempt_stuck_mid_send_may_be_attempted_again() -> None:
    state, events = run(queue(), attempt(), attempt())
    assert events[0].attempt == 2
    assert state is not None
    assert state.status == "sending"


@given(st.lists(st.booleans(), min_size=1, max_size=8), st.integers(1, 5))
def test_any_outcome_sequence_ends_delivered_or_failed_after_at_most_max_attempts(
    outcomes: list[bool], max_attempts: int
) -> None:
    state, _ = run(queue())
    for ok in outcomes:
        assert state is not None
        if state.status in ("delivered", "failed"):
            break
        for event in notifications.decide(state, attempt(), TODAY):
            state = notifications.evolve(state, event)
        outcome: NotificationCommand = (
            RecordDelivery(notification_id=ID, channel="inbox", address="", confirmed=True,
                           at=AT) if ok else failure(max_attempts=max_attempts)
        )  # fmt: skip
        for event in notifications.decide(state, outcome, TODAY):
            state = notifications.evolve(state, event)
    assert state is not None
    assert state.attempts <= max_attempts
    if state.status == "failed":
        assert state.attempts == max_attempts
