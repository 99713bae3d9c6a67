"""The registry's read models: tables of its own, next to the kernel's, rebuilt from events.

Created and upgraded by the service's alembic migrations (``migrations/``, version table
``registry_alembic_version``); the kernel's tables are never touched here.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Text

from ccc_shared.eventstore.schema import UTCDateTime

metadata = MetaData()

enterprises = Table(
    "registry_enterprises",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("region", String(200), nullable=False, index=True),
    Column("scale", String(20), nullable=False),
    Column("legal_representative", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("in_jurisdiction", Boolean, nullable=False),
    Column("key_enterprise", Boolean, nullable=False),
    Column("custodian_id", String(128)),
    Column("supervision_class", String(1), index=True),
    Column("registered_on", Date, nullable=False),
    Column("version", Integer, nullable=False),
)

enterprise_categories = Table(
    "registry_enterprise_categories",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("product_category", String(100), primary_key=True, index=True),
)

certificates = Table(
    "registry_certificates",
    metadata,
    Column("number", String(128), primary_key=True),
    Column("holder_credit_code", String(18), nullable=False, index=True),
    Column("manufacturer", Text, nullable=False),
    Column("factory", Text, nullable=False),
    Column("product_category", String(100), nullable=False),
    Column("models", Text, nullable=False),
    Column("certification_body", String(200), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("status_since", Date, nullable=False),
    Column("status_article", String(100), nullable=False),
    Column("version", Integer, nullable=False),
)

dossier_entries = Table(
    "registry_dossier_entries",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("credit_code", String(18), nullable=False, index=True),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("summary", Text, nullable=False),
    Column("source", String(100), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("aggregate_id", String(128), nullable=False),
)
