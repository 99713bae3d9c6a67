"""What every service's routes need: the store, the command's metadata, error mapping.

The actor comes from the ``X-Actor-Id`` / ``X-Actor-Role`` / ``X-Actor-Name`` headers until
tokens replace them; a command without an actor is refused (400). The correlation id is
``X-Correlation-Id`` when given, else a new one. Header values are ASCII, so a Chinese name
is sent percent-encoded UTF-8 (``X-Actor-Name: %E7%8E%8B%E8%8A%B3``) and decoded here.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote
from uuid import UUID

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from ccc_shared.domain import DomainError
from ccc_shared.eventstore.envelope import Actor, EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.eventstore.sql import SqlEventStore

CONFLICT_DOC = (
    "Conflict. `kind: illegal_transition`: the bureau's rules refuse the command in the"
    " aggregate's current state (the message cites the rule); do not retry unchanged."
    " `kind: concurrency`: another change to the same aggregate committed first; nothing was"
    " written; reload and retry."
)


def command_responses(unknown: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error responses of a command route; ``unknown`` names what a 404 means."""
    return {
        400: {"description": "No actor: the X-Actor-Id and X-Actor-Role headers are required"},
        404: {"description": f"Unknown {unknown}"},
        409: {"description": CONFLICT_DOC},
        422: {"description": "Invalid input, with the offending fields"},
    }


def store(request: Request) -> SqlEventStore:
    """The service's event store, from the kernel the app runs."""
    event_store: SqlEventStore = request.app.state.kernel.store
    return event_store


def command_metadata(
    x_actor_id: Annotated[str | None, Header()] = None,
    x_actor_role: Annotated[str | None, Header()] = None,
    x_actor_name: Annotated[str | None, Header()] = None,
    x_correlation_id: Annotated[UUID | None, Header()] = None,
) -> EventMetadata:
    """Who asks, and the thread the command belongs to; refused without an actor."""
    if not x_actor_id or not x_actor_role:
        raise HTTPException(400, "a command needs an actor: X-Actor-Id and X-Actor-Role headers")
    name = unquote(x_actor_name) if x_actor_name else None
    actor = Actor(id=x_actor_id, role=x_actor_role, name=name)
    if x_correlation_id is None:
        return EventMetadata(actor=actor)
    return EventMetadata(actor=actor, correlation_id=x_correlation_id)


Store = Annotated[SqlEventStore, Depends(store)]
Metadata = Annotated[EventMetadata, Depends(command_metadata)]


def install_error_handlers(app: FastAPI, unknown: type[Exception]) -> None:
    """Map domain refusals and concurrency conflicts to 409, ``unknown`` aggregates to 404."""

    async def refused(_request: Request, error: Exception) -> JSONResponse:
        body = {"detail": str(error), "kind": "illegal_transition"}
        return JSONResponse(body, status_code=409)

    async def conflict(_request: Request, error: Exception) -> JSONResponse:
        body = {"detail": str(error), "kind": "concurrency", "retry": True}
        return JSONResponse(body, status_code=409, headers={"Retry-After": "0"})

    async def not_found(_request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    app.add_exception_handler(DomainError, refused)
    app.add_exception_handler(ConcurrencyError, conflict)
    app.add_exception_handler(unknown, not_found)
