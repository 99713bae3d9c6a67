"""Random command sequences: accepted commands follow the machine, no illegal state is reached
(in particular no sequence closes a case with its violation unhandled, and no fine outside its
article's range is ever accepted), and replaying the events rebuilds the live state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from enforcement_given import DOCUMENT_HASH, ENTERPRISE, NUMBER
from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st

from ccc_shared.contracts.enforcement import PenaltyDecided
from enforcement.domain import case_commands, cases
from enforcement.domain.base import DomainError
from enforcement.domain.calendar import CHINA
from enforcement.domain.case_deadlines import missed
from enforcement.domain.case_events import CaseEvent
from enforcement.domain.case_state import Case, evolve, replay
from enforcement.domain.penalties import rule_for

pytestmark = pytest.mark.unit
N = {"case_number": NUMBER}
START = date(2025, 1, 6)

# The machine, written out again independently of the code: command -> {from: to}.
HANDLING = ("registered", "investigating", "notified")
MOVES: dict[type[case_commands.CaseCommand], dict[str, str]] = {
    case_commands.DropClue: {"clue": "dropped"},
    case_commands.RegisterCase: {"clue": "registered"},
    case_commands.StartInvestigation: {"registered": "investigating"},
    case_commands.NotifyParty: {"investigating": "notified"},
    case_commands.DecidePenalty: {"notified": "decided", "decided": "decided"},
    case_commands.DecideNoPenalty: {"investigating": "decided", "notified": "decided"},
    case_commands.ExecuteDecision: {"decided": "executed"},
    case_commands.CloseCase: {"decided": "closed", "executed": "closed"},
    case_commands.ReferCase: {"clue": "referred"},
}
ANSWERED = {True: {"referred": "closed"}, False: {"referred": "clue"}}
STAYS = {s: s for s in ("clue", "referred", *HANDLING, "decided", "executed", "closed")}

penalty = st.builds(
    case_commands.DecidePenalty,
    basis_article=st.sampled_from(["Order 117 art 49", "Order 117 art 53", "Order 117 art 55"]),
    penalty_type=st.sampled_from(["fine", "order_to_correct", "confiscation_of_illegal_gains"]),
    amount=st.sampled_from([0, 1, 20_000, 30_000, 50_000, 200_000, 200_001]),
    decision_document_number=st.just("罚〔2025〕1号"),
    decision_document_sha256=st.just(DOCUMENT_HASH),
    **{k: st.just(v) for k, v in N.items()},
)
progress: st.SearchStrategy[case_commands.CaseCommand] = st.sampled_from(
    [
        case_commands.RegisterCase(**N),
        case_commands.StartInvestigation(**N),
        case_commands.NotifyParty(intended="fine", **N),
        case_commands.ExecuteDecision(**N),
        case_commands.CloseCase(**N),
    ]
)
others: st.SearchStrategy[case_commands.CaseCommand] = st.one_of(
    st.just(case_commands.DropClue(reason="no catalogue product", **N)),
    st.sampled_from(["王芳", "赵强"]).map(
        lambda who: case_commands.AssignCase(department="稽查科", officer=who, reason="rota", **N)
    ),
    st.just(
        case_commands.ExtendDecisionDeadline(approved_by="局长", approval_reference="批-1", **N)
    ),
    st.just(case_commands.IssueWarning(content="告诫", **N)),
    st.just(case_commands.GiveGuidance(content="指导", **N)),
    st.integers(min_value=1, max_value=30).map(
        lambda days: case_commands.OrderRectification(
            requirement="整改", deadline=START.replace(year=2026) + timedelta(days=days), **N
        )
    ),
    st.booleans().map(lambda passed: case_commands.VerifyRectification(passed=passed, **N)),
    penalty,
    st.sampled_from(["not_established", "rectified"]).map(
        lambda code: case_commands.DecideNoPenalty(reason_code=code, **N)
    ),
    st.just(case_commands.ReferCase(to_jurisdiction="320100", reason="maker elsewhere", **N)),
    st.booleans().map(lambda accepted: case_commands.AnswerReferral(accepted=accepted, **N)),
    st.just(
        case_commands.RecordCncaReport(
            case_description="无证生产",
            decision_document_file="documents/x",
            sent_at=datetime(2026, 1, 1, tzinfo=UTC),
            **N,
        )
    ),
)
# Mostly the steps that move a case on, so that sequences reach decision and closure.
# "advance" stands for the command that moves the case on from wherever it is.
commands: st.SearchStrategy[case_commands.CaseCommand | str] = st.integers(
    min_value=0, max_value=9
).flatmap(
    lambda roll: (
        st.just("advance")
        if roll < 3
        else progress
        if roll < 5
        else penalty
        if roll < 7
        else others
    )
)
FINE = case_commands.DecidePenalty(
    basis_article="Order 117 art 49",
    penalty_type="fine",
    amount=50_000,
    decision_document_number="罚〔2025〕1号",
    decision_document_sha256=DOCUMENT_HASH,
    **N,
)
ADVANCE: dict[str, case_commands.CaseCommand] = {
    "clue": case_commands.RegisterCase(**N),
    "registered": case_commands.StartInvestigation(**N),
    "investigating": case_commands.NotifyParty(intended="fine", **N),
    "notified": FINE,
    "decided": case_commands.ExecuteDecision(**N),
    "executed": case_commands.CloseCase(**N),
    "closed": case_commands.CloseCase(**N),
    "referred": case_commands.AnswerReferral(accepted=False, **N),
    "dropped": case_commands.CloseCase(**N),
}
steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=40), commands), min_size=8, max_size=40
)

OPEN = case_commands.OpenCase(
    source="violation",
    violation_id="V-1",
    subject_kind="enterprise",
    subject_credit_code=ENTERPRISE,
    problem="no_certificate",
    **N,
)

ASSIGN = case_commands.AssignCase(department="稽查科", officer="王芳", **N)


def check_invariants(case: Case) -> None:
    """What must hold in every state a case can reach."""
    if case.status not in ("clue", "dropped", "referred") and not case.referral_accepted:
        assert case.officer is not None
        assert case.registered_on is not None
    for decided in case.penalties:
        assert isinstance(decided, PenaltyDecided)
        rule = rule_for(decided.basis_article, case.opened_on)
        if decided.penalty_type == "fine":
            assert rule.fine_min <= decided.amount <= rule.fine_max
    if case.status == "closed":
        assert case.rectification_deadline is None
        assert case.penalties or not case.rectification_failed
        # nothing unhandled: decided with or without a penalty, or accepted by another bureau
        assert case.no_penalty_reason is not None or case.penalties or case.referral_accepted
        assert case.penalties or case.reported_on is None


@settings(max_examples=300)
@given(steps=steps)
def test_random_commands_follow_the_machine_and_replay_equals_live(
    steps: list[tuple[int, case_commands.CaseCommand | str]],
) -> None:
    today = START
    history: list[CaseEvent] = cases.decide(None, OPEN, today, CHINA)
    state: Case | None = replay(history)
    assert state is not None
    history += cases.decide(state, ASSIGN, today, CHINA)
    state = replay(history)
    assert state is not None
    for pause, step in steps:
        today += timedelta(days=pause)
        before: Any = state.status
        command = ADVANCE[state.status] if isinstance(step, str) else step
        try:
            events = cases.decide(state, command, today, CHINA)
        except DomainError:
            continue
        for event in events:
            state = evolve(state, event)
        history.extend(events)
        assert state is not None
        moves = (
            ANSWERED[command.accepted]
            if isinstance(command, case_commands.AnswerReferral)
            else None
        )
        expected = (moves or MOVES.get(type(command), STAYS)).get(before)
        assert expected == state.status, f"{type(command).__name__} from {before}"
        check_invariants(state)
        for deadline in missed(state, today):  # what the application does each day
            record = case_commands.RecordDeadlineMissed(
                deadline=deadline.kind, due_on=deadline.due_on, **N
            )
            recorded = cases.decide(state, record, today, CHINA)
            state = evolve(state, recorded[0])
            history.extend(recorded)
        assert missed(state, today) == []
    note_event(f"ended {state.status}")
    assert replay(history) == state
