"""Verify the hash chains: name the first event in each stream that was tampered with.

Each stored event keeps its own hash and its predecessor's, so a break tells what happened:
content edited (``changed``), a predecessor missing (``removed``), an event standing before
one it follows (``reordered``), or an event that the chain skips over (``inserted``). The
stream heads table is the checkpoint that catches a removed or added tail.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal

from sqlalchemy import Connection, select

from ccc_contracts.hashing import GENESIS, event_hash
from ccc_shared.eventstore.schema import events, stream_heads

TamperKind = Literal["changed", "removed", "reordered", "inserted"]


@dataclass(frozen=True, slots=True)
class TamperFinding:
    """The first tampered event of a stream, and what was done to it."""

    kind: TamperKind
    aggregate_type: str
    aggregate_id: str
    version: int
    event_id: str | None
    position: int | None
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.kind}: {self.aggregate_type}/{self.aggregate_id} version {self.version}"
            f" (event {self.event_id}, position {self.position}): {self.detail}"
        )


def verify_store(conn: Connection) -> list[TamperFinding]:
    """Check every stream's chain and head; one finding per broken stream, none if intact."""
    heads = {(h.aggregate_type, h.aggregate_id): h for h in conn.execute(select(stream_heads))}
    query = select(events).order_by(
        events.c.aggregate_type, events.c.aggregate_id, events.c.version
    )
    rows = conn.execution_options(yield_per=2000).execute(query)
    findings: list[TamperFinding] = []
    for key, group in groupby(rows, key=lambda row: (row.aggregate_type, row.aggregate_id)):
        finding = verify_stream(list(group), heads.pop(key, None))
        if finding is not None:
            findings.append(finding)
    for (aggregate_type, aggregate_id), head in heads.items():
        findings.append(
            TamperFinding(
                "removed",
                aggregate_type,
                aggregate_id,
                1,
                None,
                None,
                f"the checkpointed head is at version {head.version} but no event is stored",
            )
        )
    return findings


def _intact(row: Any) -> bool:
    return bool(
        event_hash(
            row.prev_hash,
            event_id=row.event_id,
            event_type=row.event_type,
            schema_version=row.schema_version,
            aggregate_type=row.aggregate_type,
            aggregate_id=row.aggregate_id,
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
            actor=row.actor,
            correlation_id=row.correlation_id,
            causation_id=row.causation_id,
            source=row.source,
            data=row.data,
        )
        == row.hash
    )


def verify_stream(rows: Sequence[Any], head: Any | None) -> TamperFinding | None:
    """The first break in one stream's rows (sorted by version), checked against its head."""
    for finding in _chain_breaks(rows):
        return finding
    if not rows:
        return None
    last = rows[-1]
    if head is None:
        return _finding("inserted", last, "the stream has no checkpointed head")
    if head.version < len(rows):
        return _finding(
            "inserted", rows[head.version], f"the checkpointed head ends at version {head.version}"
        )
    if head.version > len(rows) or head.hash != last.hash:
        return TamperFinding(
            "removed",
            last.aggregate_type,
            last.aggregate_id,
            len(rows) + 1,
            None,
            None,
            f"the checkpointed head is at version {head.version}; the stored stream ends at "
            f"version {len(rows)}",
        )
    return None


def _chain_breaks(rows: Sequence[Any]) -> Iterator[TamperFinding]:
    prev = GENESIS
    later_hashes = {row.hash: index for index, row in enumerate(rows)}
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        if row.prev_hash != prev and later_hashes.get(row.prev_hash, -1) > index:
            yield _finding("reordered", row, "it stands before the event it follows")
        elif following is not None and following.prev_hash == prev and row.hash != prev:
            yield _finding("inserted", row, "the chain skips this event")
        elif not _intact(row):
            yield _finding("changed", row, "its content no longer matches its hash")
        elif row.prev_hash != prev:
            if index > 0 and rows[index - 1].prev_hash == row.prev_hash:
                yield _finding("inserted", rows[index - 1], "the chain skips this event")
            elif index > 0 and rows[index - 1].version == row.version - 1:
                yield _finding(
                    "changed",
                    rows[index - 1],
                    "it was rewritten: the next event chains from a different hash",
                )
            else:
                yield _finding(
                    "removed", row, f"the event before it (version {row.version - 1}) is missing"
                )
        elif row.version != index + 1:
            yield _finding("changed", row, f"its version number is not {index + 1}")
        prev = row.hash


def _finding(kind: TamperKind, row: Any, detail: str) -> TamperFinding:
    return TamperFinding(
        kind, row.aggregate_type, row.aggregate_id, row.version, row.event_id, row.position, detail
    )
