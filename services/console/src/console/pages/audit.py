"""The audit timeline of an enterprise, a certificate or a case, read from the four streams.

The streams are the public record: what every service published, in the order it happened,
each event saying who did it, when, because of which event (causation) and in which thread
(correlation). The reading is ``ccc_audit.timeline`` (the same as ``ccc-audit timeline``); the
console only connects to the bus (read-only, as the ``outside`` user on a secured bus) and draws
the rows. Who may read it: the access table's ``audit:audit_timeline`` (auditors, admins).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import nats
import structlog
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from nats.aio.client import Client as NatsClient
from nats.errors import Error as NatsError

from ccc_audit.timeline import Subject, timeline
from console.backend import RefusedError
from console.web import Person, current_person, render

router = APIRouter()
log = structlog.get_logger("console.audit")
Signed = Annotated[Person, Depends(current_person)]
OPERATION = "audit:audit_timeline"
READ_SECONDS = 60.0  # a whole read of the four streams; beyond it the page says so
Kind = Literal["enterprise", "certificate", "case"]
Key = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9\-]+$")]


@dataclass(frozen=True)
class Row:
    """One published event as the page shows it."""

    event_id: str
    occurred_at: str
    where: str  # stream#sequence
    source: str
    event_type: str
    aggregate: str
    actor: str
    correlation_id: str
    causation_id: str
    caused_here: bool  # the cause is an event of this timeline (the page links to it)


def rows_of(found: list[Any]) -> list[Row]:
    """The timeline's messages as rows, oldest first, causes linked when they are here too."""
    ids = {message.event_id for message in found}
    rows = []
    for message in found:
        envelope: dict[str, Any] = message.envelope
        actor = envelope.get("actor") or {}
        cause = str(envelope.get("causation_id") or "")
        rows.append(
            Row(
                event_id=message.event_id,
                occurred_at=str(envelope.get("occurred_at", "")),
                where=f"{message.stream}#{message.sequence}",
                source=str(envelope.get("source", "")),
                event_type=str(envelope.get("event_type", "")),
                aggregate=" ".join(
                    str(envelope.get(name, "")) for name in ("aggregate_type", "aggregate_id")
                ),
                actor=f"{actor.get('role', '')}:{actor.get('id', '')}",
                correlation_id=str(envelope.get("correlation_id") or ""),
                causation_id=cause,
                caused_here=cause in ids,
            )
        )
    return rows


async def bus(request: Request) -> NatsClient:
    """The console's read-only connection to the bus, made on first use and kept."""
    state = request.app.state
    async with state.bus_lock:
        if state.bus is None or state.bus.is_closed:
            settings = state.settings
            servers = [url.strip() for url in settings.nats_url.split(",")]  # a cluster's
            state.bus = await nats.connect(
                servers, connect_timeout=5, max_reconnect_attempts=3,
                **settings.nats_connect_options(),
            )  # fmt: skip
        client: NatsClient = state.bus
        return client


@router.get("/audit/{kind}/{key}", response_class=HTMLResponse)
async def audit_timeline(request: Request, person: Signed, kind: Kind, key: Key) -> HTMLResponse:
    """Every published event about the enterprise, certificate or case, in the order it happened."""
    try:
        if not person.may(OPERATION, query=True):
            raise RefusedError(403, "console", f"{', '.join(person.roles)} may not {OPERATION}",
                               "forbidden")  # fmt: skip
        client = await bus(request)
        found = await asyncio.wait_for(
            timeline(client.jetstream(), Subject(kind, key)), READ_SECONDS
        )
    except RefusedError as refusal:
        return render(request, "refusal.html", person=person, refusal=refusal,
                      status_code=refusal.status)  # fmt: skip
    except (NatsError, OSError, TimeoutError) as error:
        log.warning("the streams cannot be read", error=str(error) or type(error).__name__)
        down = RefusedError(503, "bus", str(error) or type(error).__name__, "unavailable")
        return render(request, "refusal.html", person=person, refusal=down, status_code=503)
    return render(request, "audit.html", person=person, kind=kind, key=key, rows=rows_of(found))
