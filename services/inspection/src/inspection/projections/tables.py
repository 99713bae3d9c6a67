"""The inspection service's read models: inspections and their violations (with the case each
led to), campaigns, traces, and the registry's enterprises and certificates as this service
last heard of them.

Created and upgraded by the service's alembic migrations (``migrations/``, version table
``inspection_alembic_version``); the kernel's tables are never touched here.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Text

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
    Column("case_number", String(128)),
    Column("department", Text),
    Column("inspector", Text),
    Column("started_on", Date),
    Column("closed_on", Date),
    Column("cancel_reason", Text),
    Column("violations", Integer, nullable=False),
    Column("minor_findings", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

violations = Table(
    "inspection_violations",
    metadata,
    Column("violation_id", String(160), primary_key=True),
    Column("inspection_id", String(128), nullable=False, index=True),
    Column("case_number", String(128)),
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

enterprises = Table(
    "inspection_enterprises",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("in_jurisdiction", Boolean, nullable=False),
    Column("key_enterprise", Boolean, nullable=False),
    Column("product_categories", Text, nullable=False),
    Column("supervision_class", String(1)),
)

campaigns = Table(
    "inspection_campaigns",
    metadata,
    Column("campaign_id", String(128), primary_key=True),
    Column("title", Text, nullable=False),
    Column("product_categories", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("launched_on", Date, nullable=False),
    Column("version", Integer, nullable=False),
)

campaign_enterprises = Table(
    "inspection_campaign_enterprises",
    metadata,
    Column("campaign_id", String(128), primary_key=True),
    Column("credit_code", String(18), primary_key=True, index=True),
    Column("product_categories", Text, nullable=False),
    Column("certified_categories", Text, nullable=False),
    Column("surveyed_on", Date),
    Column("informed_on", Date),
    Column("applied_on", Date),
    Column("certified_on", Date),
    Column("stopped_production_on", Date),
    Column("violation_id", String(160)),
)

traces = Table(
    "inspection_traces",
    metadata,
    Column("trace_id", String(128), primary_key=True),
    Column("found_at", Text, nullable=False),
    Column("found_on", Date, nullable=False),
    Column("product_category", String(100), nullable=False),
    Column("model", Text, nullable=False),
    Column("problem", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("manufacturer_credit_code", String(18), nullable=False, index=True),
    Column("manufacturer_jurisdiction", String(6), nullable=False),
    Column("outside_jurisdiction", Boolean, nullable=False),
    Column("manufacturer_inspection_id", String(128)),
    Column("violation_id", String(160)),
)
