"""Complaints: the informant masked in the published form; joining an open case."""

from __future__ import annotations

from datetime import date

import pytest
from enforcement_given import CLUE, ENTERPRISE, HANDLED, NUMBER, TODAY, opened

from ccc_shared.contracts.enforcement import ComplaintReceived
from enforcement.domain import case_events
from enforcement.domain.base import DomainError
from enforcement.domain.case_state import replay
from enforcement.domain.complaints import (
    Complaint,
    ReceiveComplaint,
    case_to_join,
    decide,
    evolve,
    joins,
    masked,
    receive,
)

pytestmark = pytest.mark.unit

COMPLAINT = Complaint(
    complaint_id="C-1",
    channel="hotline",
    subject_credit_code=ENTERPRISE,
    problem="no_certificate",
    description="厂里的插座没有3C标志",
    received_on=TODAY,
    informant="张三",
    informant_contact="13800000000",
)


def test_the_published_form_masks_the_informant_and_contact() -> None:
    published = masked(COMPLAINT, NUMBER)
    assert published == ComplaintReceived(
        complaint_id="C-1",
        channel="hotline",
        subject_credit_code=ENTERPRISE,
        problem="no_certificate",
        received_on=TODAY,
        informant="***",
        informant_contact="***",
        joined_case_number=NUMBER,
    )
    text = published.model_dump_json()
    assert "张三" not in text
    assert "13800000000" not in text
    assert "description" not in text


def test_an_anonymous_complaint_stays_anonymous() -> None:
    anonymous = COMPLAINT.model_copy(update={"informant": None, "informant_contact": None})
    assert masked(anonymous).informant is None


def test_a_complaint_joins_an_open_case_about_the_same_subject_and_problem() -> None:
    case = replay(HANDLED)
    assert case is not None
    assert joins(COMPLAINT, case)
    assert not joins(COMPLAINT.model_copy(update={"problem": "mark_misuse"}), case)
    assert not joins(COMPLAINT.model_copy(update={"subject_credit_code": "9" * 18}), case)
    dropped = replay(
        (*CLUE, case_events.ClueDropped(case_number=NUMBER, reason="x", dropped_on=TODAY))
    )
    assert dropped is not None
    assert not joins(COMPLAINT, dropped)


def test_the_earliest_open_case_is_joined_or_none() -> None:
    later = replay((opened(case_number="CCC-2025-00002", opened_on=date(2025, 3, 5)),))
    first = replay(CLUE)
    assert later is not None
    assert first is not None
    assert case_to_join(COMPLAINT, [later, first]) == NUMBER
    assert case_to_join(COMPLAINT.model_copy(update={"problem": "external"}), [first]) is None


def test_receiving_keeps_the_full_complaint_private_and_publishes_it_masked() -> None:
    case = replay(HANDLED)
    assert case is not None
    recorded, published = receive(COMPLAINT, [case])
    assert recorded.complaint.informant == "张三"
    assert recorded.joined_case_number == NUMBER
    assert published == masked(COMPLAINT, NUMBER)
    _, alone = receive(COMPLAINT, [])
    assert alone.joined_case_number is None


def test_a_complaint_is_received_once_and_its_state_is_the_full_record() -> None:
    case = replay(HANDLED)
    assert case is not None
    command = ReceiveComplaint(complaint=COMPLAINT, open_cases=(case,))
    events = decide(None, command, TODAY)
    assert [type(event).__name__ for event in events] == ["ComplaintRecorded", "ComplaintReceived"]
    state = None
    for event in events:
        state = evolve(state, event)
    assert state == COMPLAINT
    with pytest.raises(DomainError, match="already received"):
        decide(state, command, TODAY)
    with pytest.raises(DomainError, match="published before it was recorded"):
        evolve(None, events[1])
