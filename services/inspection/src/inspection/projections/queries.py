"""Read-side queries: inspections with filters and overdue computed now, certificates as facts."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, or_, select

from inspection.domain.inspection_commands import CertificateFact
from inspection.domain.inspections import OPEN
from inspection.projections.tables import certificates, inspections, violations


def with_overdue(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The row plus whether it is open past its due date today."""
    return {**row, "overdue": row["status"] in OPEN and today > row["due_on"]}


def list_inspections(
    conn: Connection,
    *,
    today: date,
    status: str | None,
    enterprise: str | None,
    overdue: bool | None,
    limit: int,
    offset: int,
    department: str | None = None,
    inspector: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Inspections matching every given filter, earliest due first."""
    query = select(inspections)
    if department is not None:
        query = query.where(inspections.c.department == department)
    if inspector is not None:
        query = query.where(inspections.c.inspector == inspector)
    if status is not None:
        query = query.where(inspections.c.status == status)
    if enterprise is not None:
        query = query.where(inspections.c.enterprise_credit_code == enterprise)
    is_overdue = inspections.c.status.in_(sorted(OPEN)) & (inspections.c.due_on < today)
    if overdue is True:
        query = query.where(is_overdue)
    elif overdue is False:
        query = query.where(~is_overdue)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = query.order_by(inspections.c.due_on, inspections.c.inspection_id)
    rows = conn.execute(page.limit(limit).offset(offset))
    return int(total), [with_overdue(dict(row._mapping), today) for row in rows]


def get_inspection(conn: Connection, inspection_id: str, today: date) -> dict[str, Any] | None:
    """One inspection as the read model holds it."""
    query = select(inspections).where(inspections.c.inspection_id == inspection_id)
    row = conn.execute(query).first()
    return None if row is None else with_overdue(dict(row._mapping), today)


def violations_found(conn: Connection, inspection_id: str) -> list[dict[str, Any]]:
    """The violations an inspection found, in the order found, each with its case (or None)."""
    query = select(violations.c.violation_id, violations.c.case_number).where(
        violations.c.inspection_id == inspection_id
    )
    rows = [dict(row._mapping) for row in conn.execute(query)]
    return sorted(rows, key=lambda row: violation_number(row["violation_id"]))


def violation_number(violation_id: str) -> int:
    """The number of a violation within its inspection (``<inspection>/V<n>``)."""
    return int(violation_id.rpartition("/V")[2])


def certificate_facts(
    conn: Connection, credit_code: str, numbers_shown: list[str]
) -> tuple[CertificateFact, ...]:
    """The certificates the enterprise holds and those whose numbers were shown on site."""
    query = select(certificates).where(
        or_(
            certificates.c.holder_credit_code == credit_code,
            certificates.c.number.in_(numbers_shown),
        )
    )
    rows = conn.execute(query.order_by(certificates.c.number))
    return tuple(
        CertificateFact(
            number=row.number,
            holder_credit_code=row.holder_credit_code,
            product_category=row.product_category,
            models=tuple(json.loads(row.models)),
            status=row.status,
        )
        for row in rows
    )
