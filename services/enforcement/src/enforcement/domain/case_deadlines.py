"""The case's deadlines, pure: what is due when, and what has passed unrecorded.

The application asks ``missed(case, today)`` each day and records each answer as
``DeadlineMissed`` (escalated to the section head), so nothing is silently late and nothing is
reported twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ccc_contracts.enforcement import DeadlineKind
from enforcement.domain.case_state import FINAL, HANDLING, Case


@dataclass(frozen=True)
class Deadline:
    """One running deadline: what must happen by the end of ``due_on``."""

    kind: DeadlineKind
    due_on: date


def deadlines(state: Case) -> list[Deadline]:
    """The deadlines running on a case now."""
    running: list[Deadline] = []
    if state.status == "clue":
        running.append(Deadline("register_decision", state.register_decision_due_on))
    # a stopped handling clock (hearing, testing, public notice, suspension) runs no deadline
    if state.status in HANDLING and state.decision_due_on is not None and not state.clock_stopped:
        running.append(Deadline("case_decision", state.decision_due_on))
    if state.status not in FINAL and state.rectification_deadline is not None:
        running.append(Deadline("rectification", state.rectification_deadline))
    report_due = state.report_due_on()
    if report_due is not None and state.reported_on is None:
        running.append(Deadline("cnca_report", report_due))
    return running


def missed(state: Case, today: date) -> list[Deadline]:
    """The running deadlines that passed before today and are not yet recorded as missed."""
    return [
        deadline
        for deadline in deadlines(state)
        if deadline.due_on < today and (deadline.kind, deadline.due_on) not in state.missed
    ]
