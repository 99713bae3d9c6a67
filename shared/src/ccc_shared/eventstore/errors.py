"""Errors the event store raises, each saying what to do about it."""

from __future__ import annotations

from ccc_contracts.envelope import StreamId


class EventTooLargeError(Exception):
    """An event whose message would exceed what the bus carries; nothing was written.

    Stored, it could never be published: the relay would retry it forever and every later
    event of the service would wait behind it.
    """

    def __init__(self, event_type: str, size: int, limit: int, fields: dict[str, int]) -> None:
        largest = ", ".join(f"{name} ({length:,} bytes)" for name, length in fields.items())
        super().__init__(
            f"{event_type} would be {size:,} bytes on the bus, more than the {limit:,} it"
            f" carries; its largest fields: {largest}"
        )
        self.event_type = event_type
        self.size = size
        self.limit = limit
        self.fields = fields


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
