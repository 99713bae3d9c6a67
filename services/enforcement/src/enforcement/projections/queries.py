"""Read-side queries: cases with filters, the reconciliation, the figures and the workload.

Overdue is computed on the day asked: a case is overdue when its earliest running deadline
(register decision, case decision, rectification) is before that day; a report is overdue when
a closed penalty case's CNCA report is still unsent after its due day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from enforcement.domain.case_state import FINAL
from enforcement.projections.tables import cases, complaints, guidance, violations

OPEN_CASE = cases.c.status.not_in(sorted(FINAL))


def with_overdue(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The case row plus whether it, or its CNCA report, is overdue today."""
    due, report = row["next_due_on"], row["report_due_on"]
    return {
        **row,
        "overdue": row["status"] not in FINAL and due is not None and due < today,
        "report_overdue": report is not None and report < today,
    }


def get_case(conn: Connection, number: str, today: date) -> dict[str, Any] | None:
    """One case as the read model holds it."""
    row = conn.execute(select(cases).where(cases.c.case_number == number)).first()
    return None if row is None else with_overdue(dict(row._mapping), today)


def list_cases(
    conn: Connection, *, today: date, limit: int, offset: int, overdue: bool | None = None,
    **filters: Any,
) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """Cases matching every given filter (status, source, subject, officer, ...), newest first."""
    query = select(cases)
    for column, value in filters.items():
        if value is not None:
            query = query.where(cases.c[column] == value)
    is_overdue = OPEN_CASE & (cases.c.next_due_on < today)
    if overdue is not None:
        query = query.where(is_overdue if overdue else ~is_overdue | cases.c.next_due_on.is_(None))
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = query.order_by(cases.c.opened_on.desc(), cases.c.case_number.desc())
    rows = conn.execute(page.limit(limit).offset(offset))
    return int(total), [with_overdue(dict(row._mapping), today) for row in rows]


def reconciliation(conn: Connection) -> dict[str, Any]:
    """Proof of 100% handling: every violation seen has its case; the cases by state."""
    seen = conn.execute(select(func.count()).select_from(violations)).scalar_one()
    orphans = conn.execute(
        select(violations.c.violation_id, violations.c.case_number, violations.c.problem)
        .select_from(violations.outerjoin(cases, violations.c.case_number == cases.c.case_number))
        .where(cases.c.case_number.is_(None))
        .order_by(violations.c.violation_id)
    )
    by_status = conn.execute(select(cases.c.status, func.count()).group_by(cases.c.status))
    return {
        "violations_seen": int(seen),
        "violations_without_case": [dict(row._mapping) for row in orphans],
        "cases_by_status": {status: int(count) for status, count in by_status},
    }


def figures(conn: Connection, today: date) -> dict[str, Any]:
    """Handling rate (violations with a case), closure rate, minor findings handled by guidance,
    cases overdue and reports overdue, as of ``today``."""
    seen, handled = conn.execute(
        select(func.count(), func.count(violations.c.case_number)).select_from(violations)
    ).one()
    total, closed, overdue, reports_overdue = conn.execute(
        select(
            func.count(),
            func.sum(case((cases.c.status == "closed", 1), else_=0)),
            func.sum(case((OPEN_CASE & (cases.c.next_due_on < today), 1), else_=0)),
            func.sum(case((cases.c.report_due_on < today, 1), else_=0)),
        )
    ).one()
    guided = conn.execute(select(func.count()).select_from(guidance)).scalar_one()
    return {
        "day": today,
        "minor_findings_guided": int(guided),
        "violations_seen": int(seen),
        "violations_with_case": int(handled),
        "handling_rate": 1.0 if not seen else handled / seen,
        "cases": int(total),
        "cases_closed": int(closed or 0),
        "closure_rate": 0.0 if not total else (closed or 0) / total,
        "cases_overdue": int(overdue or 0),
        "reports_overdue": int(reports_overdue or 0),
    }


def workload(conn: Connection, today: date, within_days: int) -> list[dict[str, Any]]:
    """Per assignee: open cases, those due within ``within_days`` and those overdue."""
    soon = today + timedelta(days=within_days)
    due = and_(cases.c.next_due_on >= today, cases.c.next_due_on <= soon)
    query = (
        select(
            cases.c.department,
            cases.c.officer,
            func.max(cases.c.officer_name).label("officer_name"),
            func.count().label("open"),
            func.sum(case((due, 1), else_=0)).label("due"),
            func.sum(case((cases.c.next_due_on < today, 1), else_=0)).label("overdue"),
        )
        .where(OPEN_CASE)
        .group_by(cases.c.department, cases.c.officer)
        .order_by(cases.c.department, cases.c.officer)
    )
    return [
        {**row._mapping, "due": int(row.due or 0), "overdue": int(row.overdue or 0)}
        for row in conn.execute(query)
    ]


def get_complaint(conn: Connection, complaint_id: str) -> dict[str, Any] | None:
    """One complaint in full (the caller masks it for anyone but its case officer)."""
    row = conn.execute(select(complaints).where(complaints.c.complaint_id == complaint_id)).first()
    return None if row is None else dict(row._mapping)


def complaints_of_case(conn: Connection, number: str) -> list[dict[str, Any]]:
    """The complaints that opened or joined a case, in full."""
    query = select(complaints).where(complaints.c.case_number == number)
    return [dict(row._mapping) for row in conn.execute(query.order_by(complaints.c.received_on))]
