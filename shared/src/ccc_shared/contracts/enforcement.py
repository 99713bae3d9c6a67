"""Contract events published by the enforcement service on ``ccc.enforcement.>``."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry

CONTEXT = "enforcement"
registry = EventRegistry()


@registry.register
class CaseClosed(EventData):
    """A case was closed; its CNCA report falls due 20 days later."""

    event_type = "CaseClosed"
    case_number: str = Field(min_length=1)
    subject_credit_code: str = Field(min_length=18, max_length=18)
    outcome: str
    closed_on: date
    report_due_on: date
