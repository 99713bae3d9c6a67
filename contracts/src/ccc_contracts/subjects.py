"""Where events travel: one stream per publishing service, one subject per event.

Subject: ``ccc.<context>.<aggregate_type>.<aggregate_id>.<EventType>``, so a filter can pick a
whole context, one kind of aggregate, one aggregate's history, or one event type.
"""

from __future__ import annotations

SUBJECT_ROOT = "ccc"

# Contexts of the four publishing services, as they appear in subjects (ccc.<context>.>).
SERVICE_CONTEXTS = ("registry", "inspection", "enforcement", "notification")


def stream_name(context: str) -> str:
    """The stream holding a context's events: ``registry`` -> ``CCC_REGISTRY``."""
    if not context or not context.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"context {context!r} must be letters, digits, '-' or '_'")
    return f"CCC_{context.upper().replace('-', '_')}"


def context_subjects(context: str) -> str:
    """The subject filter covering every event of a context: ``ccc.<context>.>``."""
    return f"{SUBJECT_ROOT}.{context}.>"


def event_subject(context: str, aggregate_type: str, aggregate_id: str, event_type: str) -> str:
    """The subject one event is published on."""
    return f"{SUBJECT_ROOT}.{context}.{aggregate_type}.{aggregate_id}.{event_type}"


def event_type_subjects(context: str, event_type: str) -> str:
    """The filter matching every event of one type in a context, whatever its aggregate."""
    return f"{SUBJECT_ROOT}.{context}.*.*.{event_type}"


def aggregate_subjects(context: str, aggregate_type: str, aggregate_id: str = "*") -> str:
    """The filter matching one kind of aggregate, or (with its id) one aggregate's history."""
    return f"{SUBJECT_ROOT}.{context}.{aggregate_type}.{aggregate_id}.*"
