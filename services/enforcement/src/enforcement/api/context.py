"""Enforcement's route helpers: the shared ones (``ccc_shared.runtime.http``), the application
object, and who is reading (the token's principal, for the informant's confidentiality)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ccc_shared.runtime import http
from ccc_shared.runtime.http import Caller, Metadata, Store
from ccc_shared.sealing import Seal
from enforcement.application.app import Enforcement

COMMAND_RESPONSES = http.command_responses("case")
CASE_NUMBER = r"^CCC-\d{4}-\d{5,}$"
TOKEN = r"^[A-Za-z0-9_-]{1,128}$"

__all__ = [
    "CASE_NUMBER", "COMMAND_RESPONSES", "App", "Informants", "Metadata", "Reader", "Store",
]  # fmt: skip


def application(request: Request) -> Enforcement:
    """The enforcement application the kernel built."""
    app: Enforcement = request.app.state.application
    return app


App = Annotated[Enforcement, Depends(application)]


def informant_seal(request: Request) -> Seal:
    """The keys informants are sealed with (Order 117 art 48)."""
    return application(request).informant_seal


Informants = Annotated[Seal, Depends(informant_seal)]
# Who reads: the principal access control authenticated from the bearer token.
Reader = Caller
