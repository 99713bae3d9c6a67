"""Read-side queries for campaigns: each campaign with its enterprises' progress, who is yet to
be surveyed, and which campaigns a new certificate or a passed deadline concerns."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from inspection.projections.tables import campaign_enterprises, campaigns, enterprises


def _campaign(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    for name in ("product_categories", "regions"):
        values[name] = json.loads(values[name])
    return values


def _participant(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    for name in ("product_categories", "certified_categories"):
        values[name] = json.loads(values[name])
    values["certified"] = values["certified_on"] is not None
    return values


def list_campaigns(conn: Connection) -> list[dict[str, Any]]:
    """Every campaign, latest deadline first."""
    query = select(campaigns).order_by(campaigns.c.deadline.desc(), campaigns.c.campaign_id)
    return [_campaign(row) for row in conn.execute(query)]


def get_campaign(conn: Connection, campaign_id: str) -> dict[str, Any] | None:
    """One campaign with each enterprise's progress and the known producers not yet surveyed."""
    row = conn.execute(select(campaigns).where(campaigns.c.campaign_id == campaign_id)).first()
    if row is None:
        return None
    campaign = _campaign(row)
    members = conn.execute(
        select(campaign_enterprises)
        .where(campaign_enterprises.c.campaign_id == campaign_id)
        .order_by(campaign_enterprises.c.credit_code)
    )
    campaign["enterprises"] = [_participant(member) for member in members]
    surveyed = {member["credit_code"] for member in campaign["enterprises"]}
    campaign["not_surveyed"] = [
        code
        for code in candidates(conn, campaign["product_categories"], campaign["regions"])
        if code not in surveyed
    ]
    return campaign


def candidates(conn: Connection, categories: list[str], regions: list[str]) -> list[str]:
    """Registered enterprises in the jurisdiction making a category in scope, in the regions."""
    query = select(enterprises).where(enterprises.c.in_jurisdiction.is_(True))
    if regions:
        query = query.where(enterprises.c.region.in_(regions))
    return [
        row.credit_code
        for row in conn.execute(query.order_by(enterprises.c.credit_code))
        if set(json.loads(row.product_categories)) & set(categories)
    ]


def campaigns_making(conn: Connection, credit_code: str, category: str) -> list[str]:
    """The campaigns in which the enterprise makes this category without a certificate for it."""
    query = select(campaign_enterprises).where(campaign_enterprises.c.credit_code == credit_code)
    return [
        row.campaign_id
        for row in conn.execute(query.order_by(campaign_enterprises.c.campaign_id))
        if category in json.loads(row.product_categories)
        and category not in json.loads(row.certified_categories)
    ]


def campaigns_past_deadline(conn: Connection, today: date) -> list[str]:
    """Campaigns whose deadline has passed with a producer still unraised and uncertified."""
    query = (
        select(campaign_enterprises.c.campaign_id)
        .join(campaigns, campaigns.c.campaign_id == campaign_enterprises.c.campaign_id)
        .where(
            campaigns.c.deadline < today,
            campaign_enterprises.c.certified_on.is_(None),
            campaign_enterprises.c.stopped_production_on.is_(None),
            campaign_enterprises.c.violation_id.is_(None),
        )
        .distinct()
        .order_by(campaign_enterprises.c.campaign_id)
    )
    return list(conn.execute(query).scalars())
