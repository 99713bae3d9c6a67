"""The auditors' own read-only HTTP app: the audit routes over every service's store, and AsyncAPI.

``ccc-audit serve --nats URL --service registry --database URL ...`` runs it; it needs no
service to be running (it reads the stores and the streams directly), so an auditor can
examine a stopped system. ``/asyncapi.yaml`` serves the document the contracts give now, to
anyone. Everything else needs a bearer token (checked as the services check theirs, from
``AUTH_JWT_KEY`` or ``AUTH_USERS_FILE``) of an auditor or an administrator: a store holds what
the streams never show (a complainant's identity, Order 117 art 48).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from pydantic_settings import SettingsConfigDict

from ccc_audit import asyncapi
from ccc_audit.http import audit_router
from ccc_audit.services import ServiceStore, open_service, service_key
from ccc_shared.runtime.access import PUBLIC_ROUTES, install_access_control
from ccc_shared.runtime.auth import Authenticator
from ccc_shared.runtime.settings import ServiceSettings

Connect = Callable[[], Awaitable[NatsClient]]


class AuditSettings(ServiceSettings):
    """Settings of ``ccc-audit serve`` (``AUDIT_*``; the token checks as ``AUTH_*``)."""

    model_config = SettingsConfigDict(env_prefix="AUDIT_")

    service_name: str = "ccc-audit"
    http_port: int = 8105  # the services take 8101-8104


# "audit:<route name>" -> roles; auditors are added to every query by the access rules
AUDIT_ACCESS: dict[str, frozenset[str]] = {
    f"audit:{route}": frozenset({"admin"})
    for route in ("audit_timeline", "audit_aggregate_state", "audit_verify")
}
PUBLIC = PUBLIC_ROUTES | {"asyncapi_document"}


def auditors_app(
    databases: Mapping[str, str], connect: Connect, authenticator: Authenticator
) -> FastAPI:
    """The app over these services' databases (name -> URL), reading the bus via ``connect``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = {
            service_key(name): open_service(name, url) for name, url in databases.items()
        }
        app.state.nc = await connect()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await app.state.nc.close()
            for service in app.state.services.values():
                service.close()

    def service_of(request: Request, name: str | None) -> ServiceStore:
        services: dict[str, ServiceStore] = request.app.state.services
        if name is None:
            if len(services) == 1:
                return next(iter(services.values()))
            raise LookupError(f"name the service: one of {', '.join(services)}")
        found = services.get(service_key(name))
        if found is None:
            raise LookupError(f"{name} is not served here (served: {', '.join(services)})")
        return found

    def jetstream_of(request: Request) -> JetStreamContext | None:
        nc: NatsClient | None = request.app.state.nc
        return nc.jetstream() if nc is not None else None

    app = FastAPI(
        title="CCC Supervision auditors",
        description="Read-only: timelines from the streams, state as of a time, verification.",
        lifespan=lifespan,
    )
    app.include_router(audit_router(service_of=service_of, jetstream_of=jetstream_of))

    @app.get("/asyncapi.yaml", response_class=PlainTextResponse, tags=["subscribers"])
    def asyncapi_document() -> PlainTextResponse:
        """The AsyncAPI 3.0 document of every published event."""
        return PlainTextResponse(asyncapi.render(), media_type="application/yaml")

    install_access_control(app, "audit", authenticator, AUDIT_ACCESS, public=PUBLIC)
    return app
