"""The auditors' tool never shows an informant (Order 117 art 48), whatever it replays."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ccc_audit.state import StateAsOf

pytestmark = pytest.mark.unit


class Complaint(BaseModel):
    complaint_id: str
    informant: str | None
    informant_contact: str | None
    history: list[dict[str, str | None]]


def test_a_replayed_complaint_shows_its_informant_masked_and_everything_else() -> None:
    complaint = Complaint(
        complaint_id="TS-1",
        informant="张三",
        informant_contact="13800000000",
        history=[{"informant": "张三", "channel": "hotline"}, {"informant": None}],
    )
    answer = StateAsOf("complaint", "TS-1", None, 1, None, complaint).as_json()
    assert answer["state"] == {
        "complaint_id": "TS-1",
        "informant": "***",
        "informant_contact": "***",
        "history": [{"informant": "***", "channel": "hotline"}, {"informant": None}],
    }
