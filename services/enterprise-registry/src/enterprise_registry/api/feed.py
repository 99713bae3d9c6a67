"""HTTP route for the certificate change feed: the file as the raw request body, the report back.

The body is the file itself, with ``Content-Type: text/csv`` (UTF-8, header row) or
``application/json`` (a list of objects); the columns are those of
``enterprise_registry.application.feed_rows``. Each row is its own transaction, so a bad row
is reported in ``errors`` (200) and does not stop the others; only an unreadable file is a 422.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ccc_shared.runtime.http import App
from ccc_shared.runtime.problem import Refusal
from enterprise_registry.api.context import COMMAND_RESPONSES, Metadata
from enterprise_registry.application.feed import import_feed
from enterprise_registry.application.feed_rows import COLUMNS, FeedFormat, FeedFormatError

router = APIRouter(tags=["certificate feed"])

UPLOAD_ROUTES = frozenset({"import_certificate_feed"})  # a file: up to max_upload_bytes
MEDIA_TYPES: dict[str, FeedFormat] = {"text/csv": "csv", "application/json": "json"}
FEED_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The feed file as the raw body. Columns: " + ", ".join(COLUMNS) + ".",
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}


class FeedRowError(BaseModel):
    """A bad row: its number among the data rows (from 1), the field, and why."""

    row: int
    field: str
    reason: str


class FeedReportView(BaseModel):
    """What the import did."""

    rows_read: int
    rows_unchanged: int
    rows_changed: int
    events: dict[str, int]
    errors: list[FeedRowError]


@router.post(
    "/certificate-feed",
    response_model=FeedReportView,
    openapi_extra=FEED_BODY,
    responses={
        422: COMMAND_RESPONSES[422],
        415: {"description": "Content-Type is neither text/csv nor application/json"},
    },
)
async def import_certificate_feed(request: Request, app: App, metadata: Metadata) -> FeedReportView:
    """Import a CSV or JSON certificate feed: only what differs from the register is changed."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    feed_format = MEDIA_TYPES.get(media_type)
    if feed_format is None:
        raise Refusal(
            415,
            f"send text/csv or application/json, not {media_type!r}",
            code="feed.unsupported_media_type",
        )
    data = await request.body()
    try:
        report = await asyncio.to_thread(
            partial(import_feed, today=app.today()), app, data, feed_format, metadata
        )
    except FeedFormatError as error:
        raise Refusal(422, str(error), code="feed.unreadable") from error
    return FeedReportView(
        rows_read=report.rows_read,
        rows_unchanged=report.rows_unchanged,
        rows_changed=report.rows_changed,
        events=report.events,
        errors=[FeedRowError(row=e.row, field=e.field, reason=e.reason) for e in report.errors],
    )
