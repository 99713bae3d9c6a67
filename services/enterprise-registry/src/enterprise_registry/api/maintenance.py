"""Operators' routes (run the expiry sweep now) and the sweep's place in the app's lifespan."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from ccc_shared.runtime.periodic import install_periodic
from enterprise_registry.application.expiry import ExpirySweep

router = APIRouter(tags=["maintenance"])


class SweepResult(BaseModel):
    """The bureau's date the sweep ran for and the certificates it expired."""

    today: date
    expired: list[str]


@router.post("/maintenance/expiry-sweep")
def expiry_sweep(request: Request) -> SweepResult:
    """Expire every valid or suspended certificate past its expiry date (art 24) now."""
    sweep: ExpirySweep = request.app.state.expiry_sweep
    today = sweep.clock()
    return SweepResult(today=today, expired=sweep.run())


def install_expiry_sweep(app: FastAPI, sweep: ExpirySweep, every_minutes: float) -> None:
    """Run the sweep at start and every ``every_minutes`` while the app (and its kernel) runs."""
    app.state.expiry_sweep = sweep
    install_periodic(app, "expiry-sweep", sweep.run, every_minutes * 60)
