"""The enforcement service's read models: cases, the violations it has seen, complaints, the
case-number counter and the stored decision documents.

Created and upgraded by the service's alembic migrations (``migrations/``, version table
``enforcement_alembic_version``); the kernel's tables are never touched here.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

cases = Table(
    "enforcement_cases",
    metadata,
    Column("case_number", String(32), primary_key=True),
    Column("source", String(20), nullable=False),
    Column("violation_id", String(200), unique=True),
    Column("complaint_id", String(128)),
    Column("subject_kind", String(40), nullable=False),
    Column("subject_credit_code", String(18), nullable=False, index=True),
    Column("subject_staff_name", Text),
    Column("subject_name", Text),
    Column("product", Text),
    Column("certificate_number", String(64)),
    Column("problem", String(40), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("found_on", Date),  # the day the clue was found or received (None before 0003)
    Column("opened_on", Date, nullable=False),
    Column("registered_on", Date),
    Column("register_decision_due_on", Date, nullable=False),
    Column("decision_due_on", Date),
    Column("extended", Boolean, nullable=False),
    Column("clock_stopped_for", String(20)),  # why the handling clock stands still, if it does
    Column("clock_stopped_on", Date),
    Column("days_not_counted", Integer, nullable=False, server_default="0"),
    Column("violation_on", Date),  # the day the act occurred or ended, when known
    Column("department", Text),
    Column("officer", String(128), index=True),
    Column("officer_name", Text),
    Column("reassignments", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("guidance", Integer, nullable=False),
    Column("rectification_deadline", Date),
    Column("rectification_failed", Boolean, nullable=False),
    Column("penalties", Integer, nullable=False),
    Column("penalty_amount", Integer, nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("referred_to", String(6)),
    Column("closed_on", Date),
    Column("report_due_on", Date),  # a closed penalty case's CNCA report, while unsent
    Column("reported_on", Date),
    Column("next_due_on", Date, index=True),  # the earliest running case deadline
    Column("sweep_due_on", Date, index=True),  # the earliest deadline not yet recorded missed
    Column("missed_deadlines", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

violations = Table(
    "enforcement_violations",
    metadata,
    Column("violation_id", String(200), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("enterprise_credit_code", String(18), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("case_number", String(32)),  # None: no case could be opened (see problem)
    Column("problem", Text),
)

complaints = Table(
    "enforcement_complaints",
    metadata,
    Column("complaint_id", String(128), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("subject_credit_code", String(18), nullable=False, index=True),
    Column("problem", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("informant", Text),
    Column("informant_contact", Text),
    Column("case_number", String(32), index=True),
    Column("joined", Boolean, nullable=False),
)

case_numbers = Table(
    "enforcement_case_numbers",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

documents = Table(
    "enforcement_documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("filename", Text, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Column("stored_by", String(128), nullable=False),
)

guidance = Table(
    "enforcement_guidance",
    metadata,
    Column("guidance_id", String(40), primary_key=True),
    Column("finding_id", String(200), nullable=False, unique=True),
    Column("inspection_id", String(128), nullable=False),
    Column("subject_credit_code", String(18), nullable=False, index=True),
    Column("area", String(30)),
    Column("content", Text, nullable=False),
    Column("given_on", Date, nullable=False),
)

decision_numbers = Table(
    "enforcement_decision_numbers",
    metadata,
    Column("decision_document_number", String(200), primary_key=True),
    Column("case_number", String(32), nullable=False),
)
