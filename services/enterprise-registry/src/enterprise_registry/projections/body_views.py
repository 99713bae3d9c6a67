"""Certification bodies' read model: its writer and its queries (with the certificates issued)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, or_, select

from ccc_shared.readmodels import delete_rows, insert_rows
from enterprise_registry.domain.bodies import CertificationBody
from enterprise_registry.projections.body_tables import bodies, body_findings, body_ratings
from enterprise_registry.projections.tables import certificates


def save_body(state: CertificationBody, version: int, conn: Connection) -> None:
    """Replace the body's rows (body, findings, ratings) with its latest state."""
    for table in (bodies, body_findings, body_ratings):
        delete_rows(conn, table, "code", code=state.code)
    latest = state.latest_rating()
    row = state.model_dump(include={"code", "name", "accreditation_number", "contact"})
    insert_rows(conn, bodies, row | {
        "registered_on": state.registered_on, "rating": latest.rating if latest else None,
        "rating_period": latest.period if latest else None, "version": version,
    })  # fmt: skip
    findings = [{"code": state.code, **f.model_dump()} for f in state.findings.values()]
    insert_rows(conn, body_findings, findings)
    ratings = [
        {**r.model_dump(), "code": state.code, "reasons": json.dumps(list(r.reasons))}
        for r in state.ratings.values()
    ]
    insert_rows(conn, body_ratings, ratings)


def list_bodies(conn: Connection, *, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """One page of bodies by code, and how many there are."""
    total = conn.execute(select(func.count()).select_from(bodies)).scalar_one()
    query = select(bodies).order_by(bodies.c.code).limit(limit).offset(offset)
    return total, [dict(row._mapping) for row in conn.execute(query)]


def get_body(conn: Connection, code: str) -> dict[str, Any] | None:
    """One body with its findings (newest first), ratings, and the certificates it issued."""
    found = conn.execute(select(bodies).where(bodies.c.code == code)).first()
    if found is None:
        return None
    body = dict(found._mapping)
    findings = select(body_findings).where(body_findings.c.code == code)
    findings = findings.order_by(body_findings.c.found_on.desc(), body_findings.c.finding_id)
    body["findings"] = [dict(row._mapping) for row in conn.execute(findings)]
    ratings = select(body_ratings).where(body_ratings.c.code == code)
    body["ratings"] = [
        {**row._mapping, "reasons": json.loads(row.reasons)}
        for row in conn.execute(ratings.order_by(body_ratings.c.period))
    ]
    issued = (
        select(certificates.c.number, certificates.c.holder_credit_code,
               certificates.c.product_category, certificates.c.status,
               certificates.c.expires_on)
        .where(or_(certificates.c.certification_body == code,
                   certificates.c.certification_body == body["name"]))
        .order_by(certificates.c.number)
    )  # fmt: skip
    body["certificates"] = [dict(row._mapping) for row in conn.execute(issued)]
    return body
