"""The registry's route helpers: the shared ones (``ccc_shared.runtime.http``) under its names."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request

from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store, command_metadata, store
from enterprise_registry.application.handling import UnknownAggregateError

COMMAND_RESPONSES = http.command_responses("enterprise or certificate")

__all__ = ["COMMAND_RESPONSES", "Metadata", "Store", "Today", "command_metadata", "store"]


def bureau_day(request: Request) -> date:
    """The bureau's date as the app's clock gives it (tests pass a fixed clock)."""
    today: date = request.app.state.clock()
    return today


Today = Annotated[date, Depends(bureau_day)]


def not_found(what: str) -> HTTPException:
    """A 404 naming what was not found."""
    return HTTPException(404, f"{what} is not registered")


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and conflicts to 409, an unknown enterprise or certificate to 404."""
    http.install_error_handlers(app, UnknownAggregateError)
