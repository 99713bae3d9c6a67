"""HTTP: the "100% handling" figure per department over the last months (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ccc_shared.history import MAX_MONTHS, months_back
from enforcement.api.context import App
from enforcement.projections.history import handling_history

router = APIRouter(tags=["oversight"])


@router.get("/figures/handling-history")
def handling_by_department(
    app: App, months: Annotated[int, Query(ge=1, le=MAX_MONTHS)] = 6
) -> dict[str, Any]:
    """Per department and month: problems found and those with a handling decision recorded."""
    today = app.today()
    with app.store.reading() as conn:
        history = handling_history(conn, months_back(today, months))
    return {"day": today, **history}
