"""The inspection service's read models: inspections, and the certificates the registry published.

Created and upgraded by the service's alembic migrations (``migrations/``, version table
``inspection_alembic_version``); the kernel's tables are never touched here.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text

metadata = MetaData()

inspections = Table(
    "inspection_inspections",
    metadata,
    Column("inspection_id", String(128), primary_key=True),
    Column("enterprise_credit_code", String(18), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("scheduled_on", Date, nullable=False),
    Column("due_on", Date, nullable=False, index=True),
    Column("cause", Text, nullable=False),
    Column("certification_body", String(200)),
    Column("department", Text),
    Column("inspector", Text),
    Column("started_on", Date),
    Column("closed_on", Date),
    Column("cancel_reason", Text),
    Column("violations", Integer, nullable=False),
    Column("minor_findings", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

certificates = Table(
    "inspection_certificates",
    metadata,
    Column("number", String(128), primary_key=True),
    Column("holder_credit_code", String(18), nullable=False, index=True),
    Column("product_category", String(100), nullable=False),
    Column("models", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("expires_on", Date, nullable=False),
)
