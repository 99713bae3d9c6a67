"""Work a service repeats while it runs (expiry sweeps, deadline sweeps, due reminders).

The work itself is a plain blocking function that reads and writes the service's store, so it
is idempotent by construction and loses nothing on a restart: the schedule is the data, the
loop only decides when to look again. It runs at start-up, then every ``every_seconds``, off
the event loop, and is never cut off mid-run on shutdown; a failed round is logged and the
next round tries again while the service keeps serving.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI

log = structlog.get_logger(__name__)


async def repeat(
    name: str, work: Callable[[], Any], every_seconds: float, stop: asyncio.Event
) -> None:
    """Run ``work`` now and then every ``every_seconds`` until ``stop``; a failure waits a round."""
    while not stop.is_set():
        try:
            await asyncio.to_thread(work)  # runs to its end: never cut off mid-run
        except Exception:  # the next round retries; the service keeps serving
            log.exception("periodic work failed", work=name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)


def install_periodic(
    app: FastAPI, name: str, work: Callable[[], Any], every_seconds: float
) -> None:
    """Run ``work`` at start-up and every ``every_seconds`` while the app (and its kernel) runs."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            stop = asyncio.Event()
            task = asyncio.create_task(repeat(name, work, every_seconds, stop), name=name)
            try:
                yield
            finally:
                stop.set()
                await task

    app.router.lifespan_context = lifespan
