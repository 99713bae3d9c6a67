"""Writers of the enforcement read models, called in the transaction that appended or consumed.

The case row is the state ``evolve`` gives plus the dates the queries filter on (the earliest
running deadline, the earliest one not yet recorded missed, the CNCA report still owed).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ccc_shared.eventstore.migrate import upgrade
from ccc_shared.readmodels import find_row, insert_rows, replace_row, update_row, upsert_row
from enforcement.domain.case_deadlines import deadlines
from enforcement.domain.case_state import Case
from enforcement.domain.complaints import Complaint
from enforcement.domain.guidance import Guidance
from enforcement.projections.tables import (
    case_numbers,
    cases,
    complaints,
    decision_numbers,
    documents,
    guidance,
    violations,
)

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "enforcement_alembic_version"


def migrate(engine: Engine) -> None:
    """Create or upgrade the enforcement read-model tables (its own alembic version table)."""
    upgrade(engine, MIGRATIONS, VERSION_TABLE)


def case_row(state: Case, version: int) -> dict[str, object]:
    """The case's row: its state, and the dates the deadline queries need."""
    running = deadlines(state)
    case_deadlines = [d.due_on for d in running if d.kind != "cnca_report"]
    unrecorded = [d.due_on for d in running if (d.kind, d.due_on) not in state.missed]
    report_due = state.report_due_on() if state.reported_on is None else None
    return {
        **state.model_dump(
            exclude={
                "penalties",
                "missed",
                "no_penalty_reason",
                "referral_accepted",
                "rectification_ordered_on",
                "decision_period_ends_on",
                "extensions",
                "clock_stopped",
            }
        ),
        "clock_stopped_for": state.clock_stopped[0] if state.clock_stopped else None,
        "clock_stopped_on": state.clock_stopped[1] if state.clock_stopped else None,
        "penalties": len(state.penalties),
        "penalty_amount": sum(p.amount for p in state.penalties),
        "outcome": state.outcome(),
        "report_due_on": report_due,
        "next_due_on": min(case_deadlines, default=None),
        "sweep_due_on": min(unrecorded, default=None),
        "missed_deadlines": len(state.missed),
        "version": version,
    }


def save_case(state: Case, version: int, conn: Connection) -> None:
    """Replace the case's row with its latest state."""
    upsert_row(conn, cases, "case_number", case_row(state, version))


def save_complaint(state: Complaint, version: int, conn: Connection) -> None:
    """Keep the complaint in full (read back masked except for its case officer)."""
    row = state.model_dump() | {"case_number": None, "joined": False}
    replace_row(conn, complaints, "complaint_id", row)


def save_guidance(state: Guidance, version: int, conn: Connection) -> None:
    """Keep a minor finding's guidance record."""
    replace_row(conn, guidance, "guidance_id", state.model_dump())


def link_complaint(conn: Connection, complaint_id: str, case_number: str, joined: bool) -> None:
    """Record the case a complaint joined or opened."""
    values = {"case_number": case_number, "joined": joined}
    update_row(conn, complaints, "complaint_id", {"complaint_id": complaint_id}, values)


def record_violation(
    conn: Connection,
    *,
    violation_id: str,
    kind: str,
    enterprise_credit_code: str,
    event_id: str,
    received_on: date,
    case_number: str | None,
    problem: str | None = None,
) -> None:
    """Remember a violation as seen, with its case (the key refuses a second one)."""
    insert_rows(conn, violations, {
        "violation_id": violation_id, "kind": kind,
        "enterprise_credit_code": enterprise_credit_code, "event_id": event_id,
        "received_on": received_on, "case_number": case_number, "problem": problem,
    })  # fmt: skip


def case_of_violation(conn: Connection, violation_id: str) -> tuple[bool, str | None]:
    """Whether the violation was seen, and its case if it has one."""
    key = {"violation_id": violation_id}
    row = find_row(conn, violations, "violation_id", key, ("case_number",))
    return (False, None) if row is None else (True, row["case_number"])


def seen_violation(conn: Connection, violation_id: str) -> RowMapping | None:
    """What was recorded about a violation when it was received (None if it never was)."""
    return find_row(conn, violations, "violation_id", {"violation_id": violation_id})


def give_violation_its_case(conn: Connection, violation_id: str, case_number: str) -> bool:
    """Record the case of a violation kept without one; False if it has one (or is unknown)."""
    give = (
        update(violations)
        .where(violations.c.violation_id == violation_id, violations.c.case_number.is_(None))
        .values(case_number=case_number)
    )
    return conn.execute(give).rowcount == 1


def _insert(conn: Connection, table: Table) -> Any:
    """An INSERT of this connection's dialect (both offer ON CONFLICT)."""
    return (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


def next_case_sequence(conn: Connection, year: int) -> int:
    """The next case sequence of a year, unique under concurrent openings.

    The year's row is bumped; the row lock (SQLite: the writer lock) holds until the opening
    commits. The first opening of a year creates the row (a concurrent creator is ignored).
    """
    bump = (
        update(case_numbers)
        .where(case_numbers.c.year == year)
        .values(last_sequence=case_numbers.c.last_sequence + 1)
        .returning(case_numbers.c.last_sequence)
    )
    bumped = conn.execute(bump).first()
    if bumped is None:
        row = {"year": year, "last_sequence": 0}
        conn.execute(_insert(conn, case_numbers).on_conflict_do_nothing(), row)
        bumped = conn.execute(bump).one()
    return int(bumped.last_sequence)


def store_document(
    conn: Connection,
    *,
    sha256: str,
    filename: str,
    media_type: str,
    content: bytes,
    stored_at: datetime,
    stored_by: str,
) -> bool:
    """Keep a decision document by its hash; False when the same file was stored before."""
    if document_stored(conn, sha256):
        return False
    insert_rows(conn, documents, {
        "sha256": sha256, "filename": filename, "media_type": media_type,
        "size": len(content), "content": content, "stored_at": stored_at, "stored_by": stored_by,
    })  # fmt: skip
    return True


def document_stored(conn: Connection, sha256: str) -> bool:
    """Whether the service keeps the document with this hash."""
    query = select(documents.c.sha256).where(documents.c.sha256 == sha256)
    return conn.execute(query).first() is not None


def decision_number_holder(conn: Connection, number: str) -> str | None:
    """The case that holds a penalty decision number (None if no case does)."""
    query = select(decision_numbers.c.case_number).where(
        decision_numbers.c.decision_document_number == number
    )
    row = conn.execute(query).first()
    return None if row is None else str(row.case_number)


def claim_decision_number(conn: Connection, number: str, case_number: str) -> str:
    """Give a decision number to a case unless another holds it; the case that holds it now.

    A concurrent claim of the same number waits on the key and then finds the first holder.
    """
    row = {"decision_document_number": number, "case_number": case_number}
    conn.execute(_insert(conn, decision_numbers).on_conflict_do_nothing(), row)
    holder = decision_number_holder(conn, number)
    assert holder is not None
    return holder
