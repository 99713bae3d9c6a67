"""Work a service repeats while it runs (expiry sweeps, deadline sweeps, due reminders).

The work itself is a plain blocking function that reads and writes the service's store, so it
is idempotent by construction and loses nothing on a restart: the schedule is the data, the
loop only decides when to look again. It runs at start-up, then every ``every_seconds``, off
the event loop, and is never cut off mid-run on shutdown; a failed round is logged and the
next round tries again while the service keeps serving. Given ``wake_on``, a store, it also
runs as soon as a commit appends events there (a notice queued is sent at once, not at the
next tick); the period is then only the fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI

from ccc_shared.eventstore.sql import SqlEventStore

log = structlog.get_logger(__name__)


async def repeat(
    name: str,
    work: Callable[[], Any],
    every_seconds: float,
    stop: asyncio.Event,
    wake: asyncio.Event | None = None,
) -> None:
    """Run ``work`` now, then after ``every_seconds`` or on ``wake``, until ``stop``."""
    wake = wake or asyncio.Event()
    while not stop.is_set():
        wake.clear()  # a commit during the round asks for one more
        try:
            await asyncio.to_thread(work)  # runs to its end: never cut off mid-run
        except Exception:  # the next round retries; the service keeps serving
            log.exception("periodic work failed", work=name)
        if stop.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=every_seconds)


def install_periodic(
    app: FastAPI,
    name: str,
    work: Callable[[], Any],
    every_seconds: float,
    *,
    wake_on: SqlEventStore | None = None,
) -> None:
    """Run ``work`` at start-up and every ``every_seconds`` (and on ``wake_on``'s commits)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            stop, wake = asyncio.Event(), asyncio.Event()
            if wake_on is not None:
                loop = asyncio.get_running_loop()

                def committed() -> None:
                    loop.call_soon_threadsafe(wake.set)

                wake_on.on_commit(committed)
            task = asyncio.create_task(repeat(name, work, every_seconds, stop, wake), name=name)
            try:
                yield
            finally:
                stop.set()
                wake.set()
                await task

    app.router.lifespan_context = lifespan


def on_shutdown(app: FastAPI, close: Callable[[], Any]) -> None:
    """Run ``close`` (off the event loop) when the app stops, before what was installed earlier."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            try:
                yield
            finally:
                await asyncio.to_thread(close)

    app.router.lifespan_context = lifespan
