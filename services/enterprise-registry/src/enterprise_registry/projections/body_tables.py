"""Read-model tables of certification bodies: one row per body, its findings and its ratings."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, String, Table, Text

from enterprise_registry.projections.tables import metadata

bodies = Table(
    "registry_certification_bodies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("accreditation_number", String(100), nullable=False),
    Column("contact", Text, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("rating", String(20)),
    Column("rating_period", String(10)),
    Column("version", Integer, nullable=False),
)

body_findings = Table(
    "registry_body_findings",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("finding_id", String(64), primary_key=True),
    Column("found_on", Date, nullable=False),
    Column("source", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("severity", String(20), nullable=False),
)

body_ratings = Table(
    "registry_body_ratings",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("rating", String(20), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("rated_on", Date, nullable=False),
)
