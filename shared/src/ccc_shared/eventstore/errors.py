"""Errors the event store raises, each saying what to do about it."""

from __future__ import annotations

from ccc_shared.eventstore.envelope import StreamId


class ConcurrencyError(Exception):
    """Another writer appended to the stream first; nothing of this append was written."""

    def __init__(self, stream: StreamId, expected_version: int, actual_version: int) -> None:
        super().__init__(
            f"stream {stream} is at version {actual_version}, not the expected "
            f"{expected_version}: another change came first; reload and retry"
        )
        self.stream = stream
        self.expected_version = expected_version
        self.actual_version = actual_version
