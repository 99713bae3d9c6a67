"""A certification body's private events: findings about its work and the bureau's ratings."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry

FindingSource = Literal["patrol", "complaint", "other"]
FindingSeverity = Literal["minor", "major", "serious"]
BodyRating = Literal["excellent", "good", "qualified", "unqualified"]  # 优秀/良好/合格/不合格

body_events = EventRegistry()


@body_events.register
class BodyFindingRecorded(EventData):
    """Something found about a body's work (a bad certificate met on patrol, a complaint)."""

    event_type = "BodyFindingRecorded"
    code: str
    finding_id: str = Field(min_length=1)
    found_on: date
    source: FindingSource
    description: str = Field(min_length=1)
    severity: FindingSeverity


@body_events.register
class CertificationBodyRated(EventData):
    """The bureau's rating of a body's work over a period, with the reasons."""

    event_type = "CertificationBodyRated"
    code: str
    period: str
    rating: BodyRating
    reasons: list[str] = Field(min_length=1)
    previous_rating: BodyRating | None
    rated_on: date
