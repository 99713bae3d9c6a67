"""``GET /ready``: whether the service can do its work now, and if not, why (503).

Not ready while it cannot reach its database or the bus, while its relay has made no progress
for ``ready_stall_seconds`` with events waiting in the outbox, or while a consumer has made no
progress for that long (its fetches or batches keep failing). ``/health`` stays the liveness
answer (the process runs); orchestrators route traffic and wait on ``/ready``.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from ccc_shared.runtime.metrics import CommandMetrics, ServiceMetrics

if TYPE_CHECKING:
    from ccc_shared.runtime.kernel import ServiceKernel

CHECK_TIMEOUT = 2.0  # seconds the database gets to answer a readiness probe


async def unready_reasons(kernel: ServiceKernel) -> list[str]:
    """Why the service cannot do its work now (empty: it can)."""
    if kernel.nc is None:
        return ["starting: not connected to the bus yet"]
    reasons: list[str] = []
    try:
        await asyncio.wait_for(asyncio.to_thread(_ping_database, kernel), CHECK_TIMEOUT)
    except Exception as error:
        reasons.append(f"database unreachable: {_short(error)}")
    if not kernel.nc.is_connected:
        reasons.append("bus unreachable: not connected to NATS")
    stall, now = kernel.settings.ready_stall_seconds, time.monotonic()
    relay = kernel.relay
    if relay is not None and now - relay.last_success > stall:
        waiting = await _outbox_size(kernel)
        if waiting != 0:
            reasons.append(
                f"relay has not published for {now - relay.last_success:.0f} s with"
                f" {'some' if waiting is None else waiting} events waiting: {relay.last_error}"
            )
    for runner in kernel.runners:
        quiet = now - runner.metrics.last_success
        if quiet > stall:
            reasons.append(
                f"consumer {runner.name} stalled for {quiet:.0f} s: {runner.metrics.last_error}"
            )
    return reasons


def _ping_database(kernel: ServiceKernel) -> None:
    with kernel.store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


async def _outbox_size(kernel: ServiceKernel) -> int | None:
    try:
        return await asyncio.wait_for(asyncio.to_thread(kernel.store.outbox_size), CHECK_TIMEOUT)
    except Exception:
        return None  # unknown: the database check already names the cause


def _short(error: BaseException) -> str:
    text_ = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text_[0] if text_ else ''}"[:300]


def install_operations(app: FastAPI, kernel: ServiceKernel) -> ServiceMetrics:
    """Add ``GET /ready``, ``GET /metrics`` and the command metrics to a service's app."""
    metrics = ServiceMetrics(kernel)
    app.add_middleware(CommandMetrics, metrics=metrics)

    @app.get("/ready", name="ready", responses={503: {"description": "Not ready, and why"}})
    async def ready() -> JSONResponse:
        """Whether the service can reach its database and bus and is making progress."""
        if not getattr(app.state, "ready", False):
            reasons = ["starting"]
        else:
            reasons = await unready_reasons(kernel)
        service = kernel.settings.service_name
        if reasons:
            body = {"service": service, "status": "unready", "reasons": reasons}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"service": service, "status": "ready"})

    @app.get("/metrics", name="metrics", response_class=Response)
    async def prometheus() -> Response:
        """The service's metrics in the Prometheus text format."""
        return Response(await metrics.render(), media_type=CONTENT_TYPE_LATEST)

    app.state.metrics = metrics
    return metrics
