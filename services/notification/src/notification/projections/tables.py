"""The notification service's own tables: read models, local facts, schedules, inbox, secrets.

Created and upgraded by the service's alembic migrations (``migrations/``, version table
``notification_alembic_version``); the kernel's tables are never touched here.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

notifications = Table(
    "notification_notifications",
    metadata,
    Column("notification_id", String(128), primary_key=True),
    Column("rule", String(100), nullable=False),
    Column("recipient", String(200), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("cause_event_id", String(36), nullable=False, index=True),
    Column("cause_event_type", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("round", Integer, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), index=True),
    Column("attempt_started_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("channel", String(20)),
    Column("sent_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(200)),
    Column("failed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
)

recipients = Table(
    "notification_recipients",
    metadata,
    Column("recipient_id", String(200), primary_key=True),
    Column("kind", String(30), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("channels", Text, nullable=False),
    Column("version", Integer, nullable=False),
)

webhook_secrets = Table(
    "notification_webhook_secrets",
    metadata,
    Column("recipient_id", String(200), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("secret", Text, nullable=False),
)

inbox = Table(
    "notification_inbox",
    metadata,
    Column("notification_id", String(128), primary_key=True),
    Column("recipient", String(200), nullable=False, index=True),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("cause_event_id", String(36), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
)

schedules = Table(
    "notification_schedules",
    metadata,
    Column("schedule_id", String(200), primary_key=True),
    Column("series", String(200), nullable=False, index=True),
    Column("rule", String(100), nullable=False),
    Column("label", String(20), nullable=False),
    Column("escalate", Boolean, nullable=False),
    Column("target_kind", String(40), nullable=False),
    Column("target_key", String(200), nullable=False),
    Column("cause_event_id", String(36), nullable=False),
    Column("cause_event_type", String(100), nullable=False),
    Column("correlation_id", String(36), nullable=False),
    Column("params", Text, nullable=False),
    Column("fire_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),  # pending, fired, cancelled
    Column("fired_at", DateTime(timezone=True)),
)

certificates = Table(
    "notification_certificates",
    metadata,
    Column("number", String(128), primary_key=True),
    Column("holder_credit_code", String(18), nullable=False, index=True),
    Column("certification_body", String(200), nullable=False),
    Column("status", String(20), nullable=False),
)

enterprises = Table(
    "notification_enterprises",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", Text, nullable=False),
    Column("custodian_id", String(200)),
)

certification_bodies = Table(
    "notification_certification_bodies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("contact", Text, nullable=False),
)

cases = Table(
    "notification_cases",
    metadata,
    Column("case_number", String(128), primary_key=True),
    Column("subject_credit_code", String(18)),
    Column("department", Text),
    Column("officer", String(200)),
)
