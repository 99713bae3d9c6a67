"""The registry's route helpers: the shared ones (``ccc_shared.runtime.http``) under its names."""

from __future__ import annotations

from fastapi import HTTPException

from ccc_shared.runtime import http
from ccc_shared.runtime.http import App, Metadata, Store, Today, command_metadata, store

COMMAND_RESPONSES = http.command_responses("enterprise or certificate")

__all__ = ["COMMAND_RESPONSES", "App", "Metadata", "Store", "Today", "command_metadata", "store"]


def not_found(what: str) -> HTTPException:
    """A 404 naming what was not found."""
    return HTTPException(404, f"{what} is not registered")
