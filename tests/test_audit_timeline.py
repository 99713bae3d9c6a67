"""Which events make a timeline: the subject's own, those naming it, those it caused."""

from __future__ import annotations

import json
from typing import Any

import nats
import pytest

from ccc_audit.streams import StreamMessage
from ccc_audit.timeline import Subject, causes, timeline
from ccc_shared.messaging import ensure_stream, event_stream
from ccc_shared.runtime.embedded_nats import EmbeddedNats

CODE = "91330100MA00050076"


def message(subject: str, data: dict[str, Any], **envelope: Any) -> StreamMessage:
    """A stored message with a minimal envelope."""
    body = {"event_id": envelope.pop("event_id", "e-1"), "data": data, **envelope}
    return StreamMessage("CCC_INSPECTION", 1, subject, "", body)


@pytest.mark.unit
def test_an_enterprise_is_named_at_any_depth_under_any_credit_code_key() -> None:
    enterprise = Subject("enterprise", CODE)
    seen = {"products_seen": [{"model": "X"}, {"maker_credit_code": CODE}]}
    assert enterprise.matches(message("ccc.inspection.inspection.i-1.InspectionCompleted", seen))
    holder = {"holder_credit_code": CODE}
    assert enterprise.matches(message("ccc.registry.certificate.C1.CertificateSuspended", holder))
    own = message(f"ccc.registry.enterprise.{CODE}.EnterpriseClassified", {})
    assert enterprise.matches(own)
    other = {"enterprise_credit_code": "91330100MA00050089", "note": CODE}
    assert not enterprise.matches(message("ccc.inspection.inspection.i-2.X", other))


@pytest.mark.unit
def test_a_certificate_or_case_is_named_by_its_number_also_in_lists() -> None:
    listed = {"certificate_numbers": ["C1", "C2"]}
    assert Subject("certificate", "C2").matches(
        message("ccc.enforcement.case.K.CaseOpened", listed)
    )
    joined = {"joined_case_number": "CCC-2026-00002"}
    complaint = message("ccc.enforcement.complaint.Q.ComplaintReceived", joined)
    assert Subject("case", "CCC-2026-00002").matches(complaint)
    assert not Subject("case", "CCC-2026-00001").matches(complaint)


@pytest.mark.unit
def test_causes_are_the_causation_id_and_payload_cause_event_ids() -> None:
    reaction = message("s", {"cause_event_id": "e-7", "event_id": "no"}, causation_id="e-6")
    assert causes(reaction) == {"e-6", "e-7"}


@pytest.mark.integration
async def test_the_timeline_follows_what_its_events_caused_across_streams(
    embedded_nats: EmbeddedNats,
) -> None:
    nc = await nats.connect(embedded_nats.url)
    js = nc.jetstream()
    for context in ("registry", "notification"):
        await ensure_stream(js, event_stream(context))

    async def publish(subject: str, event_id: str, data: dict[str, Any], **more: Any) -> None:
        # a well-formed envelope names its type (one without is reported as malformed)
        body = {"event_id": event_id, "event_type": subject.rsplit(".", 1)[-1],
                "occurred_at": f"2026-11-27T10:00:0{event_id[-1]}+00:00",
                "data": data, **more}  # fmt: skip
        await js.publish(subject, json.dumps(body).encode())

    await publish("ccc.registry.certificate.C1.CertificateSuspended", "e-1",
                  {"holder_credit_code": CODE})  # fmt: skip
    await publish("ccc.notification.notification.n1.NotificationSent", "e-2",
                  {"recipient": "body:CCCF", "cause_event_id": "e-1"})  # fmt: skip
    await publish("ccc.notification.notification.n1.NotificationFailed", "e-3",
                  {"recipient": "body:CCCF"}, causation_id="e-2")  # fmt: skip
    await publish("ccc.notification.notification.n2.NotificationSent", "e-4",
                  {"recipient": "staff:x", "cause_event_id": "e-9"})  # fmt: skip
    try:
        found = await timeline(js, Subject("enterprise", CODE))
        assert [m.event_id for m in found] == ["e-1", "e-2", "e-3"]
        alone = await timeline(js, Subject("enterprise", CODE), follow_causes=False)
        assert [m.event_id for m in alone] == ["e-1"]
    finally:
        await nc.close()
