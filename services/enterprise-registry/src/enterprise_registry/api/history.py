"""HTTP: the "100% dossiers" figure per region over the last months (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ccc_shared.history import MAX_MONTHS, months_back
from enterprise_registry.api.context import Store, Today
from enterprise_registry.projections.history import dossier_history

router = APIRouter(tags=["enterprises"])


@router.get("/figures/dossier-history")
def dossier_history_by_region(
    store: Store, today: Today, months: Annotated[int, Query(ge=1, le=MAX_MONTHS)] = 6
) -> dict[str, Any]:
    """Per region and month's end: catalogue enterprises registered, those with a kept dossier."""
    with store.reading() as conn:
        history = dossier_history(conn, months_back(today, months))
    return {"day": today, **history}
