"""Inspection's route helpers: the shared ones (``ccc_shared.runtime.http``) under its names."""

from __future__ import annotations

from fastapi import FastAPI

from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store, command_metadata, store
from inspection.application.handling import UnknownAggregateError

COMMAND_RESPONSES = http.command_responses("inspection")

__all__ = ["COMMAND_RESPONSES", "Metadata", "Store", "command_metadata", "store"]


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and conflicts to 409, an unknown inspection to 404."""
    http.install_error_handlers(app, UnknownAggregateError)
