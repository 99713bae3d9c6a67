"""Notification's route helpers: the shared ones (``ccc_shared.runtime.http``) and its clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store
from notification.application.handling import UnknownAggregateError
from notification.domain.directory import RECIPIENT_ID

COMMAND_RESPONSES = http.command_responses("notification or recipient")
RECIPIENT_ID_PATH = RECIPIENT_ID
NOTIFICATION_ID_PATH = r"^[0-9a-f]{32}$"

__all__ = ["COMMAND_RESPONSES", "Clock", "Metadata", "Store"]


def clock(request: Request) -> Callable[[], datetime]:
    """The service's clock (tests may set their own in ``create_app``)."""
    now: Callable[[], datetime] = request.app.state.clock
    return now


Clock = Annotated[Callable[[], datetime], Depends(clock)]


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and conflicts to 409, an unknown notification or recipient to 404."""
    http.install_error_handlers(app, UnknownAggregateError)
