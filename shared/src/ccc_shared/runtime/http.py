"""What every service's routes need: the store, the command's metadata, error mapping.

The actor comes from the caller's bearer token, resolved by access control
(``ccc_shared.runtime.access``) before the route runs, never from the request body. The
correlation id is ``X-Correlation-Id`` when given, else a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent
from ccc_shared.application import Application
from ccc_shared.domain import Command, DomainError
from ccc_shared.eventstore.errors import ConcurrencyError, EventTooLargeError
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Guard
from ccc_shared.runtime.access import request_actor
from ccc_shared.runtime.auth import Principal
from ccc_shared.runtime.problem import Refusal, loc_fields, problem_response
from ccc_shared.sealing import UnknownSealKeyError

CONFLICT_DOC = (
    "Conflict (Problem Details; `code` names the rule). `kind: illegal_transition`: the"
    " bureau's rules refuse the command in the aggregate's current state (the message cites"
    " the rule); do not retry unchanged."
    " `kind: concurrency`: another change to the same aggregate committed first; nothing was"
    " written; reload and retry."
)


def command_responses(unknown: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error responses of a command route; ``unknown`` names what a 404 means."""
    return {
        404: {"description": f"Unknown {unknown}"},
        409: {"description": CONFLICT_DOC},
        422: {"description": "Invalid input, with the offending fields"},
    }


class AppendedEvent(BaseModel):
    """One event a command produced."""

    event_id: str
    event_type: str
    version: int


class CommandResult(BaseModel):
    """What a command did: the aggregate it addressed and the events it appended (maybe none)."""

    aggregate_type: str
    aggregate_id: str
    events: list[AppendedEvent]

    @classmethod
    def of(
        cls, aggregate_type: str, aggregate_id: str, events: Sequence[RecordedEvent]
    ) -> CommandResult:
        """The result of a command from its recorded events."""
        appended = [
            AppendedEvent(event_id=e.event_id, event_type=e.event_type, version=e.version)
            for e in events
        ]
        return cls(aggregate_type=aggregate_type, aggregate_id=aggregate_id, events=appended)


def run_command(
    app: Application[Any],
    command: Command,
    metadata: EventMetadata,
    *,
    guard: Guard | None = None,
    aggregate_id: str | None = None,
) -> CommandResult:
    """Execute a route's command and report the events it appended.

    ``guard`` sees the loaded state first (an assignee check); ``aggregate_id`` names the
    aggregate in the answer when its stream key is not what callers know it by.
    """
    aggregate = app.aggregate_for(command)
    recorded = app.execute(command, metadata, guard=guard)
    return CommandResult.of(aggregate.name, aggregate_id or aggregate.key(command), recorded)


def application(request: Request) -> Application[Any]:
    """The service's application, as the kernel built it."""
    built: Application[Any] = request.app.state.application
    return built


def today(request: Request) -> date:
    """The bureau's date as the application's clock gives it (tests fix the clock)."""
    return application(request).today()


def store(request: Request) -> SqlEventStore:
    """The service's event store, from the kernel the app runs."""
    event_store: SqlEventStore = request.app.state.kernel.store
    return event_store


def command_metadata(
    request: Request, x_correlation_id: Annotated[UUID | None, Header()] = None
) -> EventMetadata:
    """Who asks (from the token), and the thread the command belongs to."""
    actor = request_actor(request)
    if actor is None:  # only public routes have none, and no command is public
        raise HTTPException(401, "a command needs an authenticated caller")
    if x_correlation_id is None:
        return EventMetadata(actor=actor)
    return EventMetadata(actor=actor, correlation_id=x_correlation_id)


def require_assignee(actor: Actor, role: str, assignee: str | None, work: str) -> None:
    """Refuse (403) a ``role`` holder acting on ``work`` assigned by id to someone else.

    Work assigned to a named person is theirs to carry out (and a section head's, whose role
    is not ``role``); unassigned work is open to everyone in the role.
    """
    if actor.role == role and assignee is not None and assignee != actor.id:
        raise Refusal(
            403,
            f"{work} is assigned to {assignee}: only they or a section head may act on it",
            code="access.not_assignee",
        )


def assignee_only(
    actor: Actor, role: str, work: str, assignee: Callable[[Any], str | None]
) -> Guard:
    """A guard running ``require_assignee`` on the loaded state (``assignee(state)``)."""

    def guard(state: Any) -> None:
        require_assignee(actor, role, None if state is None else assignee(state), work)

    return guard


def principal(request: Request) -> Principal:
    """The authenticated caller (user id, name, department, roles)."""
    found: Principal | None = getattr(request.state, "principal", None)
    if found is None:
        raise HTTPException(401, "no authenticated caller")
    return found


# Paging: a page of at most 500 items; an offset past a million rows is no page anyone reads
# (and past 2^63 - 1 no database can take).
MAX_OFFSET = 1_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip (at most 1,000,000)")]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page (at most 500)")]

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list and how many items match in all."""

    total: int
    limit: int
    offset: int
    items: list[ItemT]


@dataclass(frozen=True)
class PageRequest:
    """Which page a caller asks for (``limit``, ``offset`` query parameters)."""

    limit: int
    offset: int

    def of(self, items: Sequence[ItemT], total: int) -> Page[ItemT]:
        """The page holding ``items`` of ``total``."""
        return Page(total=total, limit=self.limit, offset=self.offset, items=list(items))


def page_request(limit: Limit = 50, offset: Offset = 0) -> PageRequest:
    """The page asked for: at most 500 items, from at most the millionth."""
    return PageRequest(limit, offset)


Paging = Annotated[PageRequest, Depends(page_request)]
Store = Annotated[SqlEventStore, Depends(store)]
App = Annotated[Application[Any], Depends(application)]
Today = Annotated[date, Depends(today)]
Metadata = Annotated[EventMetadata, Depends(command_metadata)]
Caller = Annotated[Principal, Depends(principal)]


def install_error_handlers(app: FastAPI, unknown: type[Exception]) -> None:
    """Map domain refusals and concurrency conflicts to 409, ``unknown`` aggregates to 404, a
    sealed value the service holds no key for to 503: each as Problem Details
    (``runtime.problem``) with the rule's code."""

    async def refused(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, DomainError)
        code, fields = error.code, error.fields
        return problem_response(409, code, str(error), fields=fields, kind="illegal_transition")

    async def conflict(_request: Request, error: Exception) -> JSONResponse:
        return problem_response(
            409,
            "aggregate.concurrent_change",
            str(error),
            headers={"Retry-After": "0"},
            kind="concurrency",
            retry=True,
        )

    async def not_found(_request: Request, error: Exception) -> JSONResponse:
        return problem_response(404, "resource.not_found", str(error))

    async def key_missing(_request: Request, error: Exception) -> JSONResponse:
        # the service lacks the key of something it sealed: misconfigured, not a bad request
        return problem_response(503, "service.seal_key_missing", str(error), kind="seal_key")

    async def too_large(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, EventTooLargeError)
        return problem_response(
            413,
            "request.event_too_large",
            str(error),
            fields=error.fields,
            kind="event_too_large",
            limit_bytes=error.limit,
        )

    async def invalid(_request: Request, error: Exception) -> JSONResponse:
        # a command or record built inside a route refused its input (fields that must agree)
        assert isinstance(error, ValidationError)
        errors = error.errors(include_url=False, include_context=False, include_input=False)
        return problem_response(
            422, "request.invalid", jsonable_encoder(errors), fields=loc_fields(errors)
        )

    app.add_exception_handler(DomainError, refused)
    app.add_exception_handler(ValidationError, invalid)
    app.add_exception_handler(EventTooLargeError, too_large)
    app.add_exception_handler(ConcurrencyError, conflict)
    app.add_exception_handler(unknown, not_found)
    app.add_exception_handler(UnknownSealKeyError, key_missing)
