"""Guidance for minor findings (supervision with service): recorded as handled.

A minor problem that breaks no rule is solved by guidance on the spot (inspection's
``FindingRecorded``). Enforcement keeps its own record of that handling, so "every problem
found is handled and the handling is recorded" can be shown from one place: violations by their
cases, minor findings by their guidance. The record is private: the published fact is
inspection's. One record per finding, whatever the deliveries.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.credit_code import CreditCode
from enforcement.domain.base import Command, State

private_events = EventRegistry()
GUIDANCE_IDS = uuid.UUID("6f1c1a52-2f0e-4c38-9a57-9d3b2b1f0c11")  # namespace of guidance ids


def guidance_id(finding_id: str) -> str:
    """The guidance record's id, derived from the finding it handles (the same every time)."""
    return f"G-{uuid.uuid5(GUIDANCE_IDS, finding_id).hex}"


class RecordFindingGuidance(Command):
    """Record that a minor finding was handled by guidance."""

    finding_id: text.CompositeIdentifier
    inspection_id: text.Identifier
    subject_credit_code: CreditCode
    area: str | None = Field(default=None, max_length=30)  # a patrol area (purchasing, ...)
    content: text.Description


@private_events.register
class GuidanceRecorded(EventData):
    """A minor finding was handled by guidance on the spot, and recorded as handled."""

    event_type = "GuidanceRecorded"
    guidance_id: str
    finding_id: str
    inspection_id: str
    subject_credit_code: str = Field(min_length=18, max_length=18)
    area: str | None = None
    content: str = Field(min_length=1)
    given_on: date


class Guidance(State):
    """One minor finding's guidance record."""

    guidance_id: str
    finding_id: str
    inspection_id: str
    subject_credit_code: str
    area: str | None
    content: str
    given_on: date


def decide(
    state: Guidance | None, command: RecordFindingGuidance, today: date
) -> list[GuidanceRecorded]:
    """The record, once: a finding already recorded changes nothing."""
    if state is not None:
        return []
    return [
        GuidanceRecorded(
            guidance_id=guidance_id(command.finding_id), given_on=today, **command.model_dump()
        )
    ]


def evolve(state: Guidance | None, event: GuidanceRecorded) -> Guidance:
    """The guidance record its event describes."""
    return Guidance(**event.model_dump())
