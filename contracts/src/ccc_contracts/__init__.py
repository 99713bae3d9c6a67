"""Public integration events, one module per publishing service, versioned.

Only this package crosses service boundaries. ``all_contracts()`` is every published event.
"""

from __future__ import annotations

from ccc_contracts import enforcement, inspection, notification, registry
from ccc_contracts.base import EventData, EventRegistry, UnknownEventTypeError

PUBLISHERS = {
    module.CONTEXT: module.registry for module in (registry, inspection, enforcement, notification)
}


def all_contracts() -> EventRegistry:
    """One registry holding every service's published events."""
    combined = EventRegistry()
    for published in PUBLISHERS.values():
        combined.include(published)
    return combined


__all__ = ["PUBLISHERS", "EventData", "EventRegistry", "UnknownEventTypeError", "all_contracts"]
