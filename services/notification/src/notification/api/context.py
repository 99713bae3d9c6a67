"""Notification's route helpers: the shared ones (``ccc_shared.runtime.http``) and its clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from ccc_shared.runtime import http
from ccc_shared.runtime.auth import Principal
from ccc_shared.runtime.http import Caller, Metadata, Store
from ccc_shared.runtime.problem import Refusal
from notification.application.app import Notification
from notification.domain.directory import INBOX_BY_DEFAULT, RECIPIENT_ID

COMMAND_RESPONSES = http.command_responses("notification or recipient")
RECIPIENT_ID_PATH = RECIPIENT_ID
NOTIFICATION_ID_PATH = r"^[0-9a-f]{32}$"

# Who may open any inbox: section heads and administrators; auditors too, to read only.
INBOX_KEEPERS = frozenset({"section_head", "admin"})
INBOX_READERS = INBOX_KEEPERS | {"auditor"}

__all__ = ["COMMAND_RESPONSES", "App", "Caller", "Clock", "Metadata", "Store"]


def application(request: Request) -> Notification:
    """The notification application the kernel built."""
    app: Notification = request.app.state.application
    return app


App = Annotated[Notification, Depends(application)]


def clock(request: Request) -> Callable[[], datetime]:
    """The service's clock (tests may set their own in ``create_app``)."""
    return application(request).now


Clock = Annotated[Callable[[], datetime], Depends(clock)]


def may_open_inbox(principal: Principal, recipient_id: str, *, reading: bool) -> bool:
    """Whether ``principal`` may open ``recipient_id``'s inbox: a person only their own
    (``staff:<user id>``); section heads and admins any; auditors any, to read only."""
    if recipient_id == f"staff:{principal.user_id}":
        return True
    keepers = INBOX_READERS if reading else INBOX_KEEPERS
    return bool(principal.roles & keepers)


def is_inbox(recipient_id: str) -> bool:
    """Whether notices to ``recipient_id`` land in a person's inbox (staff, section head)."""
    return recipient_id.split(":", 1)[0] in INBOX_BY_DEFAULT


def check_inbox_access(principal: Principal, recipient_id: str, *, reading: bool) -> None:
    """Refuse (403, before anything is read or changed) another person's inbox."""
    if not may_open_inbox(principal, recipient_id, reading=reading):
        raise Refusal(
            403,
            f"{principal.user_id} may not open {recipient_id}'s inbox",
            code="inbox.not_yours",
            fields=["recipient_id"],
        )
