"""The directory of recipients: who can be told, in which language, over which channels.

Recipient ids name what they are: ``certification_body:<code>``, ``bureau:<division code>``,
``staff:<user id>``, ``cnca`` (the CNCA enforcement information reporting system) and
``section_head``. Channels are tried in the order listed until one takes the notice. Staff and
the section head always have their in-app inbox, even without an entry. A webhook's signing
secret never enters an event (the directory keeps it in its own table); the event only says
whether the webhook signs.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.base import EventData
from ccc_shared.domain import Command, DomainError, State

from .notification_events import PRIVATE, Channel
from .templates import Language

RecipientKind = Literal["certification_body", "bureau", "staff", "cnca", "section_head"]
RECIPIENT_ID = r"^(certification_body|bureau|staff):[^/\s]{1,100}$|^(cnca|section_head)$"
INBOX_BY_DEFAULT: frozenset[str] = frozenset({"staff", "section_head"})


class ChannelAddress(State):
    """One way to reach a recipient: a webhook URL, an email address, or the in-app inbox."""

    channel: Channel
    address: str = ""
    signed: bool = False


class PutRecipient(Command):
    """List a recipient, or replace its entry."""

    recipient_id: str = Field(pattern=RECIPIENT_ID)
    name: text.OrganisationName
    language: Language = "zh"
    channels: list[ChannelAddress] = Field(min_length=1)


class RemoveRecipient(Command):
    """Take a recipient off the directory."""

    recipient_id: str = Field(pattern=RECIPIENT_ID)


@PRIVATE.register
class RecipientListed(EventData):
    """A recipient's entry, as it now stands."""

    event_type = "RecipientListed"
    recipient_id: str
    kind: RecipientKind
    name: str
    language: Language
    channels: list[ChannelAddress]


@PRIVATE.register
class RecipientRemoved(EventData):
    """A recipient was taken off the directory."""

    event_type = "RecipientRemoved"
    recipient_id: str


class Recipient(State):
    """A directory entry (``removed`` once taken off)."""

    recipient_id: str
    kind: RecipientKind
    name: str
    language: Language
    channels: list[ChannelAddress]
    removed: bool = False


def kind_of(recipient_id: str) -> RecipientKind:
    """The kind a recipient id names."""
    kind: Any = recipient_id.split(":", 1)[0]
    return kind  # type: ignore[no-any-return]


def decide(
    state: Recipient | None, command: PutRecipient | RemoveRecipient, today: date
) -> list[Any]:
    """List or replace an entry (unchanged: nothing), or remove a listed one."""
    if isinstance(command, RemoveRecipient):
        if state is None or state.removed:
            raise DomainError(
                f"recipient {command.recipient_id} is not in the directory",
                code="recipient.not_listed",
                fields=["recipient_id"],
            )
        return [RecipientRemoved(recipient_id=command.recipient_id)]
    listed = RecipientListed(kind=kind_of(command.recipient_id), **command.model_dump())
    if state is not None and not state.removed:
        current = state.model_dump(exclude={"removed"})
        if current == listed.model_dump():
            return []
    return [listed]


def evolve(state: Recipient | None, event: Any) -> Recipient:
    """The entry after one of its events."""
    if isinstance(event, RecipientListed):
        return Recipient(**event.model_dump())
    if state is None:
        raise ValueError("RecipientRemoved before RecipientListed")
    return state.model_copy(update={"removed": True})
