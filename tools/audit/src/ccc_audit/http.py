"""Read-only HTTP for auditors, mountable on any service app built by ``build_kernel_app``.

``audit_router(aggregates)`` serves the timeline (from the streams, on the kernel's NATS
connection), the state of one of that service's aggregates as of a time, and ``verify`` of
its store against its stream. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Query, Request

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


def audit_router(aggregates: Sequence[Aggregate[Any, Any]] = ()) -> APIRouter:
    """The auditors' read-only routes for a service app with these aggregates."""
    router = APIRouter(prefix="/audit", tags=["audit"])

    def service_of(request: Request) -> ServiceStore:
        kernel: ServiceKernel = request.app.state.kernel
        return ServiceStore(
            name=kernel.settings.service_name,
            context=kernel.context,
            store=kernel.store,
            aggregates=tuple(aggregates),
            migrations=kernel.migrations,
        )

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
        kernel: ServiceKernel = request.app.state.kernel
        if kernel.nc is None:
            raise HTTPException(503, "not connected to NATS yet")
        found = await timeline(kernel.nc.jetstream(), Subject(kind, key))
        return [timeline_row(message) for message in found]

    @router.get("/aggregates/{aggregate_type}/{aggregate_id}", responses=UNKNOWN)
    def audit_aggregate_state(
        request: Request,
        aggregate_type: str,
        aggregate_id: str,
        as_of: Annotated[
            datetime | None, Query(description="ISO time; without a zone, the bureau's")
        ] = None,
    ) -> dict[str, Any]:
        """The aggregate's state as of a time (now if not given), from the service's store."""
        service = service_of(request)
        try:
            answer = state_as_of(
                service, aggregate_type, aggregate_id, as_aware(as_of) if as_of else None
            )
        except LookupError as error:
            raise HTTPException(404, str(error)) from error
        if answer.version == 0:
            raise HTTPException(404, f"{aggregate_type} {aggregate_id} has no events by then")
        return answer.as_json()

    @router.get("/verify")
    async def audit_verify(request: Request) -> dict[str, Any]:
        """The service's hash chains, and whether its store and its stream agree."""
        service = service_of(request)
        kernel: ServiceKernel = request.app.state.kernel
        js = kernel.nc.jetstream() if kernel.nc is not None else None
        result = await verify_service(service, js)
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
