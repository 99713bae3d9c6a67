"""Enforcement read models: cases, violations seen, complaints, case numbers, documents.

Revision ID: 0001_enforcement_read_models
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_enforcement_read_models"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the read-model tables."""
    op.create_table(
        "enforcement_cases",
        sa.Column("case_number", sa.String(32), primary_key=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("violation_id", sa.String(200), unique=True),
        sa.Column("complaint_id", sa.String(128)),
        sa.Column("subject_kind", sa.String(40), nullable=False),
        sa.Column("subject_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("subject_staff_name", sa.Text),
        sa.Column("problem", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("registered_on", sa.Date),
        sa.Column("register_decision_due_on", sa.Date, nullable=False),
        sa.Column("decision_due_on", sa.Date),
        sa.Column("extended", sa.Boolean, nullable=False),
        sa.Column("department", sa.Text),
        sa.Column("officer", sa.String(128), index=True),
        sa.Column("officer_name", sa.Text),
        sa.Column("reassignments", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("guidance", sa.Integer, nullable=False),
        sa.Column("rectification_deadline", sa.Date),
        sa.Column("rectification_failed", sa.Boolean, nullable=False),
        sa.Column("penalties", sa.Integer, nullable=False),
        sa.Column("penalty_amount", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("referred_to", sa.String(6)),
        sa.Column("closed_on", sa.Date),
        sa.Column("report_due_on", sa.Date),  # a closed penalty case's CNCA report, while unsent
        sa.Column("reported_on", sa.Date),
        sa.Column("next_due_on", sa.Date, index=True),  # the earliest running case deadline
        sa.Column(
            "sweep_due_on", sa.Date, index=True
        ),  # the earliest deadline not yet recorded missed
        sa.Column("missed_deadlines", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )

    op.create_table(
        "enforcement_violations",
        sa.Column("violation_id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("enterprise_credit_code", sa.String(18), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("case_number", sa.String(32)),  # None: no case could be opened (see problem)
        sa.Column("problem", sa.Text),
    )

    op.create_table(
        "enforcement_complaints",
        sa.Column("complaint_id", sa.String(128), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("subject_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("problem", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("informant", sa.Text),
        sa.Column("informant_contact", sa.Text),
        sa.Column("case_number", sa.String(32), index=True),
        sa.Column("joined", sa.Boolean, nullable=False),
    )

    op.create_table(
        "enforcement_case_numbers",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_sequence", sa.Integer, nullable=False),
    )

    op.create_table(
        "enforcement_documents",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_by", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    """Drop the read-model tables."""
    for table in (
        "enforcement_documents",
        "enforcement_case_numbers",
        "enforcement_complaints",
        "enforcement_violations",
        "enforcement_cases",
    ):
        op.drop_table(table)
