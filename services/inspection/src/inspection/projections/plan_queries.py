"""Read-side queries for the patrol plan and the section head: enterprises as the plan sees
them, open patrols, and each assignee's workload."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select

from inspection.domain.inspections import OPEN
from inspection.domain.patrol_schedule import EnterpriseFacts, OpenPatrol
from inspection.projections.tables import certificates, enterprises, inspections

HELD = ("valid", "suspended")  # a suspended certificate is still held: its holder is patrolled


def enterprise_region(conn: Connection, credit_code: str) -> str | None:
    """The enterprise's region as the register has it (None if not registered)."""
    query = select(enterprises.c.region).where(enterprises.c.credit_code == credit_code)
    region: str | None = conn.execute(query).scalar_one_or_none()
    return region


def certified_categories(conn: Connection, credit_code: str) -> tuple[str, ...]:
    """The categories the enterprise holds a valid certificate for."""
    query = (
        select(certificates.c.product_category)
        .where(certificates.c.holder_credit_code == credit_code, certificates.c.status == "valid")
        .distinct()
        .order_by(certificates.c.product_category)
    )
    return tuple(conn.execute(query).scalars())


def enterprise_facts(conn: Connection, credit_code: str | None = None) -> list[EnterpriseFacts]:
    """Every certified enterprise in the jurisdiction (or just one) with its completed patrols."""
    held = select(certificates.c.holder_credit_code, certificates.c.product_category).where(
        certificates.c.status.in_(HELD)
    )
    query = select(enterprises).where(enterprises.c.in_jurisdiction.is_(True))
    if credit_code is not None:
        query = query.where(enterprises.c.credit_code == credit_code)
        held = held.where(certificates.c.holder_credit_code == credit_code)
    categories: dict[str, set[str]] = defaultdict(set)
    for holder, category in conn.execute(held):
        categories[holder].add(category)
    patrols = select(inspections.c.enterprise_credit_code, inspections.c.closed_on).where(
        inspections.c.kind == "patrol", inspections.c.status == "completed"
    )
    done: dict[str, list[date]] = defaultdict(list)
    for code, closed_on in conn.execute(patrols):
        done[code].append(closed_on)
    return [
        EnterpriseFacts(
            credit_code=row.credit_code,
            supervision_class=row.supervision_class,
            key_enterprise=row.key_enterprise,
            region=row.region,
            certified_categories=tuple(sorted(categories[row.credit_code])),
            patrols=tuple(sorted(done[row.credit_code])),
        )
        for row in conn.execute(query.order_by(enterprises.c.credit_code))
        if categories.get(row.credit_code)
    ]


def open_patrols(conn: Connection, credit_code: str | None = None) -> dict[str, list[OpenPatrol]]:
    """The open patrols of every enterprise (or one), by credit code."""
    query = select(
        inspections.c.enterprise_credit_code, inspections.c.inspection_id, inspections.c.status
    ).where(inspections.c.kind == "patrol", inspections.c.status.in_(sorted(OPEN)))
    if credit_code is not None:
        query = query.where(inspections.c.enterprise_credit_code == credit_code)
    found: dict[str, list[OpenPatrol]] = defaultdict(list)
    for code, inspection_id, status in conn.execute(query.order_by(inspections.c.inspection_id)):
        found[code].append(OpenPatrol(inspection_id=inspection_id, status=status))
    return dict(found)


def enterprise_names(conn: Connection, codes: list[str]) -> dict[str, str]:
    """The registered names of these enterprises."""
    query = select(enterprises.c.credit_code, enterprises.c.name).where(
        enterprises.c.credit_code.in_(codes)
    )
    return {code: name for code, name in conn.execute(query)}


def workload(conn: Connection, today: date, department: str | None) -> list[dict[str, Any]]:
    """Per department and inspector: open inspections, those due today, those overdue."""
    is_open = inspections.c.status.in_(sorted(OPEN))
    query = (
        select(
            inspections.c.department,
            inspections.c.inspector,
            func.count().label("open"),
            func.sum(case((inspections.c.due_on == today, 1), else_=0)).label("due_today"),
            func.sum(case((inspections.c.due_on < today, 1), else_=0)).label("overdue"),
            func.min(inspections.c.due_on).label("earliest_due_on"),
        )
        .where(is_open)
        .group_by(inspections.c.department, inspections.c.inspector)
    )
    if department is not None:
        query = query.where(inspections.c.department == department)
    rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["due_today"], row["overdue"] = int(row["due_today"]), int(row["overdue"])
    return sorted(
        rows,
        key=lambda r: (-r["overdue"], -r["due_today"], r["department"] or "", r["inspector"] or ""),
    )
