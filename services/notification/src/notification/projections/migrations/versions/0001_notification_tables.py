"""Notification tables: notifications, directory, secrets, inbox, schedules, local facts.

Revision ID: 0001_notification_tables
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_notification_tables"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the service's tables."""
    op.create_table(
        "notification_cases",
        sa.Column("case_number", sa.String(128), primary_key=True),
        sa.Column("subject_credit_code", sa.String(18)),
        sa.Column("department", sa.Text),
        sa.Column("officer", sa.String(200)),
    )
    op.create_table(
        "notification_certificates",
        sa.Column("number", sa.String(128), primary_key=True),
        sa.Column("holder_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("certification_body", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "notification_certification_bodies",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
    )
    op.create_table(
        "notification_enterprises",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("custodian_id", sa.String(200)),
    )
    op.create_table(
        "notification_inbox",
        sa.Column("notification_id", sa.String(128), primary_key=True),
        sa.Column("recipient", sa.String(200), nullable=False, index=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("cause_event_id", sa.String(36), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "notification_notifications",
        sa.Column("notification_id", sa.String(128), primary_key=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False, index=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("cause_event_id", sa.String(36), nullable=False, index=True),
        sa.Column("cause_event_type", sa.String(100), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), index=True),
        sa.Column("attempt_started_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("channel", sa.String(20)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_by", sa.String(200)),
        sa.Column("failed_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "notification_recipients",
        sa.Column("recipient_id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "notification_schedules",
        sa.Column("schedule_id", sa.String(200), primary_key=True),
        sa.Column("series", sa.String(200), nullable=False, index=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("escalate", sa.Boolean, nullable=False),
        sa.Column("target_kind", sa.String(40), nullable=False),
        sa.Column("target_key", sa.String(200), nullable=False),
        sa.Column("cause_event_id", sa.String(36), nullable=False),
        sa.Column("cause_event_type", sa.String(100), nullable=False),
        sa.Column("correlation_id", sa.String(36), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("fired_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "notification_webhook_secrets",
        sa.Column("recipient_id", sa.String(200), primary_key=True),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("secret", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the service's tables."""
    op.drop_table("notification_webhook_secrets")
    op.drop_table("notification_schedules")
    op.drop_table("notification_recipients")
    op.drop_table("notification_notifications")
    op.drop_table("notification_inbox")
    op.drop_table("notification_enterprises")
    op.drop_table("notification_certification_bodies")
    op.drop_table("notification_certificates")
    op.drop_table("notification_cases")
