"""Read-side queries over the registry's read models: lists with filters, one record, coverage."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Select, exists, func, select

from enterprise_registry.projections.body_tables import bodies
from enterprise_registry.projections.tables import (
    certificates,
    dossier_entries,
    enterprise_categories,
    enterprises,
)

REQUIRED_DATA = ("name", "address", "region", "legal_representative", "contact")


def categories_of(conn: Connection, codes: list[str]) -> dict[str, list[str]]:
    """The product categories of each enterprise, sorted."""
    found: dict[str, list[str]] = {code: [] for code in codes}
    rows = conn.execute(
        select(enterprise_categories)
        .where(enterprise_categories.c.credit_code.in_(codes))
        .order_by(enterprise_categories.c.product_category)
    )
    for row in rows:
        found[row.credit_code].append(row.product_category)
    return found


def enterprise_rows(conn: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    """Enterprise rows as dicts, each with its product categories."""
    rows = [dict(row._mapping) for row in conn.execute(query)]
    categories = categories_of(conn, [row["credit_code"] for row in rows])
    return [{**row, "product_categories": categories[row["credit_code"]]} for row in rows]


def list_enterprises(
    conn: Connection,
    *,
    product_categories: list[str],
    region: str | None,
    supervision_class: str | None,
    certificate_status: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Enterprises matching every given filter (any of the categories), by credit code."""
    query = select(enterprises)
    if product_categories:
        query = query.where(
            exists().where(
                enterprise_categories.c.credit_code == enterprises.c.credit_code,
                enterprise_categories.c.product_category.in_(product_categories),
            )
        )
    if region is not None:
        query = query.where(enterprises.c.region == region)
    if supervision_class is not None:
        query = query.where(enterprises.c.supervision_class == supervision_class)
    if certificate_status is not None:
        query = query.where(
            exists().where(
                certificates.c.holder_credit_code == enterprises.c.credit_code,
                certificates.c.status == certificate_status,
            )
        )
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = query.order_by(enterprises.c.credit_code).limit(limit).offset(offset)
    return int(total), enterprise_rows(conn, page)


def get_enterprise(conn: Connection, credit_code: str) -> dict[str, Any] | None:
    """One enterprise with its categories and the numbers of the certificates it holds."""
    rows = enterprise_rows(
        conn, select(enterprises).where(enterprises.c.credit_code == credit_code)
    )
    if not rows:
        return None
    held = conn.execute(
        select(certificates.c.number)
        .where(certificates.c.holder_credit_code == credit_code)
        .order_by(certificates.c.number)
    )
    return {**rows[0], "certificates": list(held.scalars())}


def get_certificate(conn: Connection, number: str) -> dict[str, Any] | None:
    """One certificate as the register holds it now."""
    row = conn.execute(select(certificates).where(certificates.c.number == number)).first()
    if row is None:
        return None
    return {**row._mapping, "models": json.loads(row.models)}


def dossier(conn: Connection, credit_code: str) -> list[dict[str, Any]]:
    """The enterprise's dossier entries in time order (ties by event id, which is time-ordered)."""
    rows = conn.execute(
        select(dossier_entries)
        .where(dossier_entries.c.credit_code == credit_code)
        .order_by(dossier_entries.c.occurred_at, dossier_entries.c.event_id)
    )
    return [dict(row._mapping) for row in rows]


def coverage(conn: Connection) -> dict[str, Any]:
    """ "100% dossiers": catalogue enterprises in the jurisdiction lacking a custodian or data."""
    catalogue = select(enterprises).where(
        enterprises.c.in_jurisdiction.is_(True),
        exists().where(enterprise_categories.c.credit_code == enterprises.c.credit_code),
    )
    rows = enterprise_rows(conn, catalogue.order_by(enterprises.c.credit_code))
    without_custodian = [brief(row) for row in rows if not row["custodian_id"]]
    missing = [
        {**brief(row), "missing": gaps}
        for row in rows
        if (gaps := [name for name in REQUIRED_DATA if not str(row[name]).strip()])
    ]
    incomplete = {row["credit_code"] for row in without_custodian + missing}
    return {
        "catalogue_enterprises": len(rows),
        "covered": len(rows) - len(incomplete),
        "without_custodian": {"count": len(without_custodian), "items": without_custodian},
        "missing_data": {"count": len(missing), "items": missing},
    }


def brief(row: dict[str, Any]) -> dict[str, Any]:
    """The few fields a coverage list shows."""
    return {key: row[key] for key in ("credit_code", "name", "region", "custodian_id")}


__all__ = ["coverage", "dossier", "get_certificate", "get_enterprise", "list_enterprises"]


def unknown_references(conn: Connection, holder: str, body: str) -> dict[str, str]:
    """Of a certificate's holder and certification body, those the register does not know."""
    missing: dict[str, str] = {}
    holder_known = select(enterprises.c.credit_code).where(enterprises.c.credit_code == holder)
    if conn.execute(holder_known).first() is None:
        missing["holder_credit_code"] = f"enterprise {holder} is not registered: register it first"
    named = select(bodies.c.code).where((bodies.c.code == body) | (bodies.c.name == body))
    if conn.execute(named.limit(1)).first() is None:  # a body is named by code or by name
        missing["certification_body"] = (
            f"certification body {body} is not registered: register it first"
        )
    return missing


def unmatched_certificates(conn: Connection, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Certificates (from the feed) whose holder or certification body the register lacks."""
    issuer = certificates.c.certification_body
    holder_missing = ~exists().where(enterprises.c.credit_code == certificates.c.holder_credit_code)
    body_missing = ~exists().where((bodies.c.code == issuer) | (bodies.c.name == issuer))
    query = (
        select(
            certificates.c.number,
            certificates.c.holder_credit_code,
            certificates.c.certification_body,
            certificates.c.status,
            holder_missing.label("holder_missing"),
            body_missing.label("body_missing"),
        )
        .where(holder_missing | body_missing)
        .order_by(certificates.c.number)
        .limit(limit)
        .offset(offset)
    )
    return [dict(row._mapping) for row in conn.execute(query)]
