"""The audit timeline page's rows, without I/O: who, when, what, and causes linked in place."""

from __future__ import annotations

from typing import Any

import pytest

from ccc_audit.streams import StreamMessage
from console.pages.audit import rows_of
from console.web import Person

pytestmark = pytest.mark.unit


def message(sequence: int, event_id: str, cause: str | None, **envelope: Any) -> StreamMessage:
    base = {"event_id": event_id, "event_type": "CertificateSuspended", "source": "registry",
            "aggregate_type": "certificate", "aggregate_id": "C-1", "correlation_id": "thread-1",
            "causation_id": cause, "occurred_at": "2026-05-04T01:00:00+00:00",
            "actor": {"id": "feed", "role": "system"}}  # fmt: skip
    return StreamMessage("CCC_REGISTRY", sequence, "ccc.registry.certificate.C-1.X", event_id,
                         {**base, **envelope})  # fmt: skip


def test_each_event_says_who_what_where_and_links_its_cause_when_it_is_in_the_timeline() -> None:
    rows = rows_of([
        message(7, "e-1", "command-9"),
        message(3, "e-2", "e-1", event_type="InspectionScheduled", source="inspection",
                actor={"id": "inspection", "role": "system"}),
    ])  # fmt: skip
    first, second = rows
    assert (first.where, first.actor, first.aggregate) == (
        "CCC_REGISTRY#7", "system:feed", "certificate C-1",
    )  # fmt: skip
    assert (first.causation_id, first.caused_here) == ("command-9", False)
    assert (second.event_type, second.causation_id, second.caused_here) == (
        "InspectionScheduled", "e-1", True,
    )  # fmt: skip
    assert second.correlation_id == "thread-1"


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [(("auditor",), True), (("admin",), True), (("inspector",), False),
     (("case_officer", "section_head"), False)],
)  # fmt: skip
def test_auditors_and_admins_read_the_streams_timeline(
    roles: tuple[str, ...], allowed: bool
) -> None:
    person = Person("p-1", "某人", "某科", roles, "token", 0.0)
    assert person.may("audit:audit_timeline", query=True) is allowed
