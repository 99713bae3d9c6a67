"""Contract events published by the inspection service on ``ccc.inspection.>``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry

CONTEXT = "inspection"
registry = EventRegistry()

ViolationKind = Literal[
    "no_certificate", "certificate_invalid", "product_mismatch", "mark_misuse", "external"
]


@registry.register
class ViolationFound(EventData):
    """A finding that breaks the CCC rules; enforcement opens exactly one case for it."""

    event_type = "ViolationFound"
    violation_id: str = Field(min_length=1)
    enterprise_credit_code: str = Field(min_length=18, max_length=18)
    kind: ViolationKind
    article: str
    inspection_id: str | None = None
    certificate_number: str | None = None
    evidence: list[str] = Field(default_factory=list)
