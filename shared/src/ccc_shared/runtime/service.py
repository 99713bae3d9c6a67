"""Run one service process: logging, then uvicorn until SIGTERM or SIGINT.

uvicorn traps both signals itself: it stops accepting connections, lets in-flight requests
finish (up to ``settings.shutdown_timeout``), then runs the app lifespan's shutdown, where a
service drains its subscribers and relay. ``lifespan="on"`` makes a failing startup fatal.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FrameType
from typing import TypeVar

import structlog
import uvicorn
from fastapi import FastAPI

from ccc_shared.runtime.logging import configure_logging
from ccc_shared.runtime.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


class GracefulServer(uvicorn.Server):
    """uvicorn re-raises a caught SIGTERM after its graceful stop, so the process would end
    with status -15; a service that stopped cleanly exits 0 instead (supervisors read it)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def run_service(app_factory: Callable[[SettingsT], FastAPI], settings: SettingsT) -> int:
    """Serve ``app_factory(settings)`` over HTTP until told to stop; returns an exit code."""
    configure_logging(settings)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # stores, keys: owner only
    config = uvicorn.Config(
        app_factory(settings),
        host=settings.http_host,
        port=settings.http_port,
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_timeout),
    )
    server = GracefulServer(config)
    server.run()
    if not server.started:
        structlog.get_logger(settings.service_name).error("service failed to start")
        return 1
    return 0
