"""The console's pages, one module per part of the day's work."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """Every page router, in the order they are matched."""
    from console.pages import (
        audit,
        cases,
        complaints,
        figures,
        inspections,
        notices,
        oidc,
        plan,
        records,
        signin,
        work,
    )

    return [
        signin.router,
        oidc.router,
        work.router,
        records.router,
        cases.router,
        inspections.router,
        notices.router,
        complaints.router,
        figures.router,
        plan.router,
        audit.router,
    ]
