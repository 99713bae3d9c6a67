"""The "100% dossiers" figure over time, per region: at the end of each month, the catalogue
enterprises registered by then and how many had a kept dossier.

The register names a dossier's custodian (a person), not a department, so the figure is split
by the enterprise's region. A dossier counts as kept at a month's end when its custodian had
been named by then (the dossier's first custodian entry, or the registration when the custodian
was named in it) and its required data is complete today (the
register keeps the current profile only, not each past version of it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, exists, func, select

from ccc_shared.handling import BUREAU_TIME
from ccc_shared.history import Month, per_department
from enterprise_registry.projections.queries import REQUIRED_DATA
from enterprise_registry.projections.tables import (
    dossier_entries,
    enterprise_categories,
    enterprises,
)


def dossier_history(conn: Connection, months: list[Month]) -> dict[str, Any]:
    """Per region and month's end: catalogue enterprises registered, those with a kept dossier."""
    return per_department(_month_ends(conn, months), months, key="region")


def _month_ends(conn: Connection, months: list[Month]) -> Iterator[tuple[str | None, date, bool]]:
    named = (
        select(dossier_entries.c.credit_code, func.min(dossier_entries.c.occurred_at).label("on"))
        .where(dossier_entries.c.kind == "custodian")
        .group_by(dossier_entries.c.credit_code)
        .subquery()
    )
    query = (
        select(enterprises, named.c.on.label("custodian_named_at"))
        .outerjoin(named, named.c.credit_code == enterprises.c.credit_code)
        .where(
            enterprises.c.in_jurisdiction.is_(True),
            exists().where(enterprise_categories.c.credit_code == enterprises.c.credit_code),
        )
    )
    for row in conn.execute(query):
        complete = bool(row.custodian_id) and all(str(row._mapping[name]).strip()
                                                  for name in REQUIRED_DATA)  # fmt: skip
        named_on = (  # named later (the dossier's custodian entry), or when registered
            row.custodian_named_at.astimezone(BUREAU_TIME).date()
            if row.custodian_named_at
            else row.registered_on
        )
        for month in months:
            if row.registered_on <= month.last:
                kept = complete and named_on <= month.last
                yield row.region, month.last, kept
