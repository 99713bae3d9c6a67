"""JetStream streams of the bus: one per publishing service, plus the dead-letter stream.

A service stream is the public record of that service's events: file storage, no limits
(kept forever), delete and purge denied, and a duplicate window in which a repeated
``Nats-Msg-Id`` (the event id) is dropped by the server. The dead-letter stream keeps what
consumers could not handle; it is kept forever too but may be purged by an operator once
the letters have been dealt with.
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from ccc_contracts.subjects import SERVICE_CONTEXTS as SERVICE_CONTEXTS
from ccc_contracts.subjects import SUBJECT_ROOT as SUBJECT_ROOT
from ccc_contracts.subjects import context_subjects as context_subjects
from ccc_contracts.subjects import stream_name as stream_name

DEFAULT_DUPLICATE_WINDOW = 120.0  # seconds
DEADLETTER_STREAM = "CCC_DEADLETTER"
DEADLETTER_PREFIX = f"{SUBJECT_ROOT}.deadletter"
REDRIVE_PREFIX = f"{SUBJECT_ROOT}.redrive"  # ccc.redrive.<consumer>: an operator's re-drive asks


def event_stream(
    context: str,
    *,
    duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
    name: str | None = None,
    replicas: int = 1,
) -> StreamConfig:
    """The stream configuration of a publishing service's context."""
    return StreamConfig(
        name=name or stream_name(context),
        description=f"events published by the {context} service (kept forever)",
        subjects=[context_subjects(context)],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_msgs=-1,
        max_bytes=-1,
        max_age=0,
        duplicate_window=duplicate_window,
        deny_delete=True,
        deny_purge=True,
        num_replicas=replicas,
        allow_rollup_hdrs=False,
    )


def deadletter_stream(
    *,
    duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
    name: str = DEADLETTER_STREAM,
    replicas: int = 1,
) -> StreamConfig:
    """The dead-letter stream: messages consumers gave up on, with the reason in headers, and
    the operator's requests to re-drive them (who asked, when)."""
    return StreamConfig(
        name=name,
        description="messages that consumers could not handle, and requests to re-drive them",
        subjects=[f"{DEADLETTER_PREFIX}.>", f"{REDRIVE_PREFIX}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_msgs=-1,
        max_bytes=-1,
        max_age=0,
        duplicate_window=duplicate_window,
        num_replicas=replicas,
    )


REGISTRY = event_stream("registry")
INSPECTION = event_stream("inspection")
ENFORCEMENT = event_stream("enforcement")
NOTIFICATION = event_stream("notification")
DEADLETTER = deadletter_stream()
SERVICE_STREAMS = {
    config.name: config for config in (REGISTRY, INSPECTION, ENFORCEMENT, NOTIFICATION)
}


async def ensure_stream(js: JetStreamContext, config: StreamConfig, *, update: bool = True) -> None:
    """Create the stream, or update it to ``config`` when it exists (idempotent).

    ``update=False`` only creates a missing stream: what a reader of someone else's stream
    does (the bus lets only a stream's owner update it).
    """
    assert config.name, "a stream needs a name"
    try:
        await js.stream_info(config.name)
    except NotFoundError:
        try:
            await js.add_stream(config)
        except BadRequestError:  # its owner created it meanwhile (10058: name in use)
            await js.stream_info(config.name)
            if update:
                await js.update_stream(config)
        return
    if update:
        await js.update_stream(config)


async def ensure_streams(js: JetStreamContext, *configs: StreamConfig) -> None:
    """Ensure several streams (default: the four service streams and the dead-letter one)."""
    for config in configs or (*SERVICE_STREAMS.values(), DEADLETTER):
        await ensure_stream(js, config)
