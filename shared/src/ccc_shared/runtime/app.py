"""The FastAPI shell every service shares: health route, a logged lifespan, the edge's limits.

A service's ``create_app(settings)`` calls ``build_service_app`` and hands it the service's own
lifespan (broker, relay, subscribers) and routers; everything common stays here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI

from ccc_shared.runtime.edge import install_edge
from ccc_shared.runtime.problem import install_problem_answers
from ccc_shared.runtime.settings import ServiceSettings

ServiceLifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

# What any route may answer besides its own responses (documented, so no answer is a surprise;
# every error answer is a Problem, runtime.problem).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body could not be read (not UTF-8, or not the declared type)"},
    401: {"description": "No bearer token, or one that is expired, forged or unknown"},
    403: {
        "description": "The caller's role may not do this (access table), or the work is"
        " assigned to someone else"
    },
    413: {
        "description": "The request body, or the event it would record, is larger than"
        " the service accepts; nothing was written"
    },
}


@asynccontextmanager
async def _nothing_to_run(_app: FastAPI) -> AsyncIterator[None]:
    yield


def build_service_app(
    settings: ServiceSettings,
    *,
    lifespan: ServiceLifespan | None = None,
    routers: Sequence[APIRouter] = (),
    upload_routes: Collection[str] = (),
    **fastapi_options: Any,
) -> FastAPI:
    """Build a service's FastAPI app with ``GET /health`` and start/stop log events.

    Every request body is limited to ``settings.max_request_body_bytes``, but those of the
    routes named in ``upload_routes`` to ``settings.max_upload_bytes`` (see ``runtime.edge``).
    """
    service_lifespan = lifespan or _nothing_to_run
    log = structlog.get_logger(settings.service_name)

    @asynccontextmanager
    async def logged_lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("service starting", http_port=settings.http_port)
        async with service_lifespan(app):
            app.state.ready = True
            log.info("service started")
            yield
            app.state.ready = False
            log.info("service stopping")
        log.info("service stopped")

    app = FastAPI(title=settings.service_name, lifespan=logged_lifespan, **fastapi_options)
    app.state.settings = settings
    app.state.ready = False

    @app.get("/health")
    async def health() -> dict[str, str]:
        """Report the service name and whether it has finished starting."""
        return {
            "service": settings.service_name,
            "status": "ok" if app.state.ready else "starting",
        }

    for router in routers:
        app.include_router(router, responses=COMMON_RESPONSES)
    uploads = {name: settings.max_upload_bytes for name in upload_routes}
    install_edge(app, limit=settings.max_request_body_bytes, upload_limits=uploads)
    install_problem_answers(app)  # after the edge: its 413s are documented as problems too
    return app
