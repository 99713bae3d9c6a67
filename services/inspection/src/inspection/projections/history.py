"""The "100% patrols" figure over time, per department: patrols due in each month and how many
were done as planned (completed on or before the day they were due).

A patrol counts in the month it was due, under the department it was assigned to (none while
unassigned); a cancelled patrol is not counted (it was not planned any more).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from ccc_shared.history import Month, per_department
from inspection.projections.tables import inspections


def patrol_history(conn: Connection, months: list[Month]) -> dict[str, Any]:
    """Per department and month: patrols due, and those completed by their due day."""
    return per_department(_patrols(conn, months[0].first, months[-1].last), months)


def _patrols(conn: Connection, since: date, until: date) -> Iterator[tuple[str | None, date, bool]]:
    query = select(
        inspections.c.department, inspections.c.due_on, inspections.c.status,
        inspections.c.closed_on,
    ).where(
        inspections.c.kind == "patrol", inspections.c.status != "cancelled",
        inspections.c.due_on >= since, inspections.c.due_on <= until,
    )  # fmt: skip
    for row in conn.execute(query):
        done = row.status == "completed" and row.closed_on is not None
        yield row.department, row.due_on, done and row.closed_on <= row.due_on
