"""Guidance for minor findings: recorded once per finding, under an id derived from it."""

from __future__ import annotations

import pytest
from enforcement_given import ENTERPRISE, TODAY

from enforcement.domain.guidance import (
    GuidanceRecorded,
    RecordFindingGuidance,
    decide,
    evolve,
    guidance_id,
)

pytestmark = pytest.mark.unit
RECORD = RecordFindingGuidance(
    finding_id="INS-1/F1",
    inspection_id="INS-1",
    subject_credit_code=ENTERPRISE,
    area="warehousing",
    content="仓储不合规; 已指导整改",
)


def test_a_minor_finding_is_recorded_as_handled_by_guidance_once() -> None:
    events = decide(None, RECORD, TODAY)
    assert events == [
        GuidanceRecorded(
            guidance_id="G-8f224e49608a57ecbf01e79363193fa0", given_on=TODAY, **RECORD.model_dump()
        )
    ]
    state = evolve(None, events[0])
    assert (state.finding_id, state.given_on) == ("INS-1/F1", TODAY)
    assert decide(state, RECORD, TODAY) == []


def test_the_guidance_id_is_derived_from_the_finding_and_safe_as_a_subject_token() -> None:
    # uuid5 of the finding id in the guidance namespace: the same on every run and replica
    assert guidance_id("INS-1/F1") == "G-8f224e49608a57ecbf01e79363193fa0"
    assert guidance_id("INS-1/F2") == "G-af4c283a809b5e2a8ff94ba01a4211a2"
    assert guidance_id("INS-1/F1").replace("-", "").isalnum()
