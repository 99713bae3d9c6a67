"""The hash chain that makes each aggregate stream tamper-evident.

An event's hash is SHA-256 over its previous event's hash and its own content: everything
but the storage position and the version number (the chain itself fixes the order). Fields
are joined by newlines, which none of them can contain: ids and names are validated, and the
actor and payload are compact JSON, where a newline is always escaped.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

GENESIS = "0" * 64


def timestamp_text(moment: datetime) -> str:
    """The canonical text of a UTC timestamp inside a hash (microsecond precision)."""
    return moment.isoformat(timespec="microseconds")


def event_hash(
    prev_hash: str,
    *,
    event_id: str,
    event_type: str,
    schema_version: int,
    aggregate_type: str,
    aggregate_id: str,
    occurred_at: datetime | str,
    recorded_at: datetime | str,
    actor: str,
    correlation_id: str,
    causation_id: str | None,
    source: str,
    data: str,
) -> str:
    """SHA-256 hex of the previous hash and this event's canonical content."""
    if isinstance(occurred_at, datetime):
        occurred_at = timestamp_text(occurred_at)
    if isinstance(recorded_at, datetime):
        recorded_at = timestamp_text(recorded_at)
    content = "\n".join(
        (
            prev_hash,
            event_id,
            event_type,
            str(schema_version),
            aggregate_type,
            aggregate_id,
            occurred_at,
            recorded_at,
            actor,
            correlation_id,
            causation_id or "",
            source,
            data,
        )
    )
    return hashlib.sha256(content.encode()).hexdigest()
