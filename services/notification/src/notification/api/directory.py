"""HTTP routes for the directory of recipients: list, replace, remove, read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.exceptions import RequestValidationError

from ccc_shared.runtime.http import CommandResult, run_command
from notification.api.context import (
    COMMAND_RESPONSES,
    RECIPIENT_ID_PATH,
    App,
    Metadata,
    Store,
)
from notification.api.schemas import RecipientEntry, RecipientPage, RecipientView
from notification.application.destinations import DestinationRefusedError, WebhookGuard
from notification.domain.directory import ChannelAddress, PutRecipient, RemoveRecipient
from notification.projections import queries
from notification.projections.read_models import save_webhook_secrets

router = APIRouter(tags=["directory"])
RecipientId = Annotated[str, Path(pattern=RECIPIENT_ID_PATH)]


@router.put("/directory/{recipient_id}", responses=COMMAND_RESPONSES)
def put_recipient(
    recipient_id: RecipientId,
    entry: RecipientEntry,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """List a recipient (or replace its entry): certification body, bureau, staff, CNCA.

    A webhook must lead where the allow-list lets it (settings), or the entry is refused (422).
    """
    refuse_unlisted_webhooks(entry, app.webhook_guard)
    channels = [
        ChannelAddress(channel=c.channel, address=c.address, signed=bool(c.secret))
        for c in entry.channels
    ]
    command = PutRecipient(
        recipient_id=recipient_id, name=entry.name, language=entry.language, channels=channels
    )
    seal = app.secret_seal  # secrets are stored sealed, never in events
    secrets = {
        c.address: sealed for c in entry.channels if c.secret and (sealed := seal.seal(c.secret))
    }
    with app.store.transaction() as conn:
        recorded = app.execute(command, metadata, conn=conn)
        save_webhook_secrets(conn, recipient_id, secrets)
    return CommandResult.of("recipient", recipient_id, recorded)


def refuse_unlisted_webhooks(entry: RecipientEntry, guard: WebhookGuard) -> None:
    """A 422 naming each webhook address the allow-list refuses (nothing is recorded)."""
    errors = []
    for index, channel in enumerate(entry.channels):
        if channel.channel != "webhook":
            continue
        try:
            guard.check(channel.address)
        except DestinationRefusedError as refused:
            errors.append({
                "type": "webhook_destination_refused",
                "loc": ("body", "channels", index, "address"),
                "msg": f"webhook destination refused: {refused}",
                "input": channel.address,
            })  # fmt: skip
    if errors:
        raise RequestValidationError(errors)


@router.delete("/directory/{recipient_id}", responses=COMMAND_RESPONSES)
def remove_recipient(recipient_id: RecipientId, app: App, metadata: Metadata) -> CommandResult:
    """Take a recipient off the directory (its notices stay, later ones fail until relisted)."""
    command = RemoveRecipient(recipient_id=recipient_id)
    return run_command(app, command, metadata, aggregate_id=recipient_id)


@router.get("/directory", response_model=RecipientPage)
def list_recipients(
    store: Store, kind: Annotated[str | None, Query(max_length=30)] = None
) -> RecipientPage:
    """The directory, optionally of one kind (certification_body, bureau, staff, ...)."""
    with store.reading() as conn:
        rows = queries.recipients_list(conn, kind)
    return RecipientPage(items=[RecipientView(**row) for row in rows])


@router.get("/directory/{recipient_id}", responses={404: {"description": "Not listed"}})
def get_recipient(recipient_id: RecipientId, store: Store) -> RecipientView:
    """One directory entry (secrets are never shown)."""
    with store.reading() as conn:
        rows = [r for r in queries.recipients_list(conn, None) if r["recipient_id"] == recipient_id]
    if not rows:
        raise HTTPException(404, f"recipient {recipient_id} is not in the directory")
    return RecipientView(**rows[0])
