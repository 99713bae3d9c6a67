"""Read-only HTTP for auditors: a router to mount on a service app, or in ``ccc-audit serve``.

``audit_router(aggregates)`` serves the timeline (from the streams), the state of an aggregate
as of a time, and ``verify`` of a store against its stream. By default it finds the store and
the NATS connection in the app's kernel (``build_kernel_app``); ``service_of`` and
``jetstream_of`` give them otherwise (the auditors' own app serves every service's store, named
by the ``service`` query parameter). Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Query, Request
from nats.js import JetStreamContext

from ccc_audit.services import ServiceStore
from ccc_audit.state import state_as_of
from ccc_audit.timeline import Kind, Subject, timeline, timeline_row
from ccc_audit.verify import verify_service
from ccc_shared.handling import BUREAU_TIME, Aggregate
from ccc_shared.runtime.kernel import ServiceKernel

UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown aggregate type or aggregate"}
}


def as_aware(moment: datetime) -> datetime:
    """A time without a zone is the bureau's (China Standard Time)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=BUREAU_TIME)


ServiceName = Annotated[str | None, Query(description="service whose store to read")]
ServiceOf = Callable[[Request, str | None], ServiceStore]
JetStreamOf = Callable[[Request], JetStreamContext | None]


def kernel_jetstream(request: Request) -> JetStreamContext | None:
    """The JetStream context of the app's kernel (None before it connected)."""
    kernel: ServiceKernel = request.app.state.kernel
    return kernel.nc.jetstream() if kernel.nc is not None else None


def audit_router(
    aggregates: Sequence[Aggregate[Any, Any]] = (),
    *,
    service_of: ServiceOf | None = None,
    jetstream_of: JetStreamOf = kernel_jetstream,
) -> APIRouter:
    """The auditors' read-only routes (for a service app: that service's aggregates)."""
    router = APIRouter(prefix="/audit", tags=["audit"])

    def kernel_service(request: Request, name: str | None) -> ServiceStore:
        kernel: ServiceKernel = request.app.state.kernel
        if name not in (None, kernel.settings.service_name, kernel.context):
            raise LookupError(f"this is {kernel.settings.service_name}, not {name}")
        return ServiceStore(
            name=kernel.settings.service_name,
            context=kernel.context,
            store=kernel.store,
            aggregates=tuple(aggregates),
            migrations=kernel.migrations,
        )

    find_service: ServiceOf = service_of or kernel_service

    @router.get("/timeline", responses={422: {"description": "Not exactly one subject given"}})
    async def audit_timeline(
        request: Request,
        enterprise: Annotated[str | None, Query(description="credit code")] = None,
        certificate: Annotated[str | None, Query(description="certificate number")] = None,
        case: Annotated[str | None, Query(description="case number")] = None,
    ) -> list[dict[str, Any]]:
        """Every event about an enterprise, certificate or case on the four streams, in order."""
        given = {"enterprise": enterprise, "certificate": certificate, "case": case}
        chosen = [(kind, key) for kind, key in given.items() if key]
        if len(chosen) != 1:
            raise HTTPException(422, "give exactly one of enterprise, certificate, case")
        kind: Kind = cast(Kind, chosen[0][0])
        key = chosen[0][1] or ""
        js = jetstream_of(request)
        if js is None:
            raise HTTPException(503, "not connected to NATS yet")
        found = await timeline(js, Subject(kind, key))
        return [timeline_row(message) for message in found]

    @router.get("/aggregates/{aggregate_type}/{aggregate_id}", responses=UNKNOWN)
    def audit_aggregate_state(
        request: Request,
        aggregate_type: str,
        aggregate_id: str,
        as_of: Annotated[
            datetime | None, Query(description="ISO time; without a zone, the bureau's")
        ] = None,
        service: ServiceName = None,
    ) -> dict[str, Any]:
        """The aggregate's state as of a time (now if not given), from the service's store."""
        try:
            answer = state_as_of(
                find_service(request, service),
                aggregate_type,
                aggregate_id,
                as_aware(as_of) if as_of else None,
            )
        except LookupError as error:
            raise HTTPException(404, str(error)) from error
        if answer.version == 0:
            raise HTTPException(404, f"{aggregate_type} {aggregate_id} has no events by then")
        return answer.as_json()

    @router.get("/verify", responses=UNKNOWN)
    async def audit_verify(request: Request, service: ServiceName = None) -> dict[str, Any]:
        """The service's hash chains, and whether its store and its stream agree."""
        try:
            found = find_service(request, service)
        except LookupError as error:
            raise HTTPException(404, str(error)) from error
        result = await verify_service(found, jetstream_of(request))
        return {
            "ok": result.ok,
            "service": result.service,
            "stream": result.stream,
            "events": result.events,
            "broken_streams": [str(finding) for finding in result.findings],
            "published": result.published,
            "on_stream": result.on_stream,
            "pending": result.pending,
            "disagreement": result.disagreement,
        }

    return router
