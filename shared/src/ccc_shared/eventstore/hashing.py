"""The hash chain that makes each aggregate stream tamper-evident.

An event's hash is SHA-256 over its previous event's hash and its own content (everything
but the storage position and the version number: the chain itself fixes the order).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

GENESIS = "0" * 64


def event_hash(
    prev_hash: str,
    *,
    event_id: str,
    event_type: str,
    schema_version: int,
    aggregate_type: str,
    aggregate_id: str,
    occurred_at: datetime,
    recorded_at: datetime,
    actor: str,
    correlation_id: str,
    causation_id: str | None,
    source: str,
    data: str,
) -> str:
    """SHA-256 hex of the previous hash and this event's canonical content."""
    content = json.dumps(
        [
            prev_hash,
            event_id,
            event_type,
            schema_version,
            aggregate_type,
            aggregate_id,
            occurred_at.isoformat(timespec="microseconds"),
            recorded_at.isoformat(timespec="microseconds"),
            actor,
            correlation_id,
            causation_id,
            source,
            data,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()
