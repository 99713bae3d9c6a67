"""HTTP: the "100% patrols" figure per department over the last months (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ccc_shared.history import MAX_MONTHS, months_back
from ccc_shared.runtime.http import Today
from inspection.api.context import Store
from inspection.projections.history import patrol_history

router = APIRouter(tags=["patrol plan"])


@router.get("/figures/patrol-history")
def patrol_history_by_department(
    store: Store, today: Today, months: Annotated[int, Query(ge=1, le=MAX_MONTHS)] = 6
) -> dict[str, Any]:
    """Per department and month: patrols due and those done as planned (by their due day)."""
    with store.reading() as conn:
        history = patrol_history(conn, months_back(today, months))
    return {"day": today, **history}
