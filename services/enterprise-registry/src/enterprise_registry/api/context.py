"""The registry's route helpers: the shared ones (``ccc_shared.runtime.http``) under its names."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException

from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store, command_metadata, store
from enterprise_registry.application.handling import UnknownAggregateError

COMMAND_RESPONSES = http.command_responses("enterprise or certificate")

__all__ = ["COMMAND_RESPONSES", "Metadata", "Store", "command_metadata", "store"]


def not_found(what: str) -> HTTPException:
    """A 404 naming what was not found."""
    return HTTPException(404, f"{what} is not registered")


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and conflicts to 409, an unknown enterprise or certificate to 404."""
    http.install_error_handlers(app, UnknownAggregateError)
