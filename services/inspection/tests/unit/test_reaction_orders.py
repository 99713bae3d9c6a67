"""The inspections the reactions ask for: due days, kinds, causes and ids from the cause event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.enforcement import ComplaintReceived, RectificationOrdered
from ccc_shared.eventstore.envelope import Actor, RecordedEvent
from inspection.application.reactions import (
    complaint_followup,
    complaint_followup_id,
    rectification_check,
    rectification_check_id,
)

pytestmark = pytest.mark.unit

SUBJECT = "914403001922038216"
TODAY = date(2026, 5, 4)
NO_HASH = "0" * 64


def cause(data: EventData) -> RecordedEvent:
    moment = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
    return RecordedEvent(
        "0190a8b0-0000-7000-8000-000000000001", data.event_type, data.schema_version, "case",
        "CASE-1", 1, moment, moment, Actor(id="officer-3", role="case_officer"),
        "0190a8b0-0000-7000-8000-000000000002", None, "enforcement", data, NO_HASH, NO_HASH,
    )  # fmt: skip


def complaint(received_on: date) -> ComplaintReceived:
    return ComplaintReceived(
        complaint_id="CMP-9", channel="web", subject_credit_code=SUBJECT,
        problem="mark_misuse", received_on=received_on, joined_case_number="CASE-1",
    )  # fmt: skip


def order(deadline: date) -> RectificationOrdered:
    return RectificationOrdered(
        case_number="CASE-1", subject_credit_code=SUBJECT, requirement="停止销售",
        ordered_on=date(2026, 4, 20), deadline=deadline,
    )  # fmt: skip


def test_a_complaint_brings_a_follow_up_due_within_the_days_set() -> None:
    event = cause(complaint(date(2026, 5, 2)))
    command = complaint_followup(event, complaint(date(2026, 5, 2)), 7, TODAY)
    assert command.inspection_id == complaint_followup_id(event) == f"complaint-{event.event_id}"
    assert (command.kind, command.due_on) == ("complaint_followup", date(2026, 5, 9))
    assert command.cause == "complaint CMP-9 (web): mark_misuse, joins case CASE-1"


def test_a_complaint_received_long_ago_is_followed_up_today() -> None:
    old = complaint(date(2026, 3, 1))
    assert complaint_followup(cause(old), old, 7, TODAY).due_on == TODAY


def test_a_rectification_order_is_checked_on_its_deadline_naming_its_case() -> None:
    event = cause(order(date(2026, 5, 20)))
    command = rectification_check(event, order(date(2026, 5, 20)), TODAY)
    assert command.inspection_id == rectification_check_id(event)
    assert (command.kind, command.due_on) == ("rectification_check", date(2026, 5, 20))
    assert command.case_number == "CASE-1"
    assert command.cause.startswith("case CASE-1: rectification ordered on 2026-04-20")


def test_a_deadline_already_past_is_checked_today() -> None:
    past = order(date(2026, 5, 1))
    assert rectification_check(cause(past), past, TODAY).due_on == TODAY
