"""Inspection's route helpers: the shared ones (``ccc_shared.runtime.http``) under its names."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ccc_shared.application import Application
from ccc_shared.runtime import http
from ccc_shared.runtime.http import Metadata, Store, command_metadata, store
from inspection.settings import Settings

COMMAND_RESPONSES = http.command_responses("inspection")

__all__ = ["COMMAND_RESPONSES", "App", "Metadata", "Store", "command_metadata", "store"]

App = Annotated[Application[Settings], Depends(http.application)]
