"""Small events for kernel tests and benchmarks (not contracts: nothing publishes them)."""

from __future__ import annotations

from collections.abc import Callable

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.envelope import Actor, EventMetadata
from ccc_shared.eventstore.sql import SqlEventStore

sample_registry = EventRegistry()


@sample_registry.register
class SampleRecorded(EventData):
    """A sample event with a writer tag, a sequence number and some Chinese text."""

    event_type = "SampleRecorded"
    writer: str
    sequence: int
    note: str = "日常巡查记录"


def inspector(user_id: str = "inspector-1") -> EventMetadata:
    """Metadata of a command by a named inspector."""
    return EventMetadata(actor=Actor(id=user_id, role="inspector", name="王检查员"))


def make_store(url: str, context: str = "registry") -> SqlEventStore:
    """A migrated store on ``url`` that knows the sample events."""
    store = SqlEventStore(url, registry=sample_registry, source="kernel-tests", context=context)
    store.migrate()
    return store


StoreFactory = Callable[[str], SqlEventStore]
