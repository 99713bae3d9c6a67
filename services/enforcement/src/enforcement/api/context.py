"""Enforcement's route helpers: the shared ones (``ccc_shared.runtime.http``), the application
object, and who is reading (for the informant's confidentiality)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request

from ccc_shared.eventstore.envelope import Actor
from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store
from enforcement.application.handling import Enforcement, UnknownAggregateError

COMMAND_RESPONSES = http.command_responses("case")
CASE_NUMBER = r"^CCC-\d{4}-\d{5,}$"
TOKEN = r"^[A-Za-z0-9_-]{1,128}$"

__all__ = ["CASE_NUMBER", "COMMAND_RESPONSES", "App", "Metadata", "Reader", "Store"]


def application(request: Request) -> Enforcement:
    """The enforcement application the app was wired with."""
    app: Enforcement = request.app.state.enforcement
    return app


def reader(
    x_actor_id: Annotated[str | None, Header()] = None,
    x_actor_role: Annotated[str | None, Header()] = None,
) -> Actor | None:
    """Who reads, when the request says (the same headers as commands; tokens later)."""
    if not x_actor_id or not x_actor_role:
        return None
    return Actor(id=x_actor_id, role=x_actor_role)


App = Annotated[Enforcement, Depends(application)]
Reader = Annotated[Actor | None, Depends(reader)]


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and conflicts to 409, an unknown case or complaint to 404."""
    http.install_error_handlers(app, UnknownAggregateError)
