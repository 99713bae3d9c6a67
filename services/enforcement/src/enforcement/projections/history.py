"""The "100% handling" figure over time, per department: problems found in each month and how
many of them have a handling decision recorded.

A problem is a case, whatever its source (counted in the month its clue was found, or opened
when that is unknown) or a violation no case could be opened for (counted in
the month it was received, with no department). It is handled once its clue is no longer
waiting for the register decision: registered, dropped with a reason, or referred.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ccc_shared.history import Month, per_department
from enforcement.projections.tables import cases, violations

WAITING = "clue"  # the only status in which a problem is not yet handled


def handling_history(conn: Connection, months: list[Month]) -> dict[str, Any]:
    """Per department and month: problems found, and those handled."""
    return per_department(_problems(conn, months[0].first), months)


def _problems(conn: Connection, since: date) -> Iterator[tuple[str | None, date, bool]]:
    found = func.coalesce(cases.c.found_on, cases.c.opened_on)
    query = select(cases.c.department, found.label("found"), cases.c.status).where(found >= since)
    for row in conn.execute(query):
        yield row.department, row.found, row.status != WAITING
    orphans = select(violations.c.received_on).where(
        violations.c.case_number.is_(None), violations.c.received_on >= since
    )
    for (received_on,) in conn.execute(orphans):
        yield None, received_on, False
