"""Operators' routes: run the expiry sweep now (it also runs as a periodic job)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from ccc_shared.runtime.http import App
from enterprise_registry.application.expiry import expire_overdue

router = APIRouter(tags=["maintenance"])


class SweepResult(BaseModel):
    """The bureau's date the sweep ran for and the certificates it expired."""

    today: date
    expired: list[str]


@router.post("/maintenance/expiry-sweep")
def expiry_sweep(app: App) -> SweepResult:
    """Expire every valid or suspended certificate past its expiry date (art 24) now."""
    return SweepResult(today=app.today(), expired=expire_overdue(app))
