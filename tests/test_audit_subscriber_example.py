"""The subscriber example of docs/subscribers.md, run as a real process against real NATS."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import nats
import pytest

from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.registry import CertificateRegistered, CertificateSuspended
from ccc_shared.eventstore.envelope import Actor, RecordedEvent, new_event_id, utcnow
from ccc_shared.messaging import ensure_stream, event_stream
from ccc_shared.runtime.embedded_nats import EmbeddedNats

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "subscriber.py"
HOLDER = "91330100MA00050076"
pytestmark = pytest.mark.integration


def certificate_event(number: str, data: EventData) -> RecordedEvent:
    """A certificate event as the registry publishes it."""
    now = utcnow()
    return RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, "certificate", number, 1,
        now, now, Actor(id="registrar-7", role="admin"), str(new_event_id()), None,
        "enterprise-registry", data, "0" * 64, "0" * 64,
    )  # fmt: skip


def registered(number: str) -> RecordedEvent:
    """A fire extinguisher certificate entering the register."""
    data = CertificateRegistered(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body="CCCF", article="Order 117 art 19", effective_on=date(2026, 1, 9),
        reason_code="issued", manufacturer="浙江消防器材有限公司", factory="杭州工廠",
        models=["MFZ/ABC4"], issued_on=date(2026, 1, 9), expires_on=date(2031, 1, 8),
    )  # fmt: skip
    return certificate_event(number, data)


def suspended(number: str) -> RecordedEvent:
    """That certificate suspended (art 27)."""
    data = CertificateSuspended(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body="CCCF", article="Order 117 art 27", effective_on=date(2026, 11, 27),
        reason_code="follow_up_refused_or_failed",
    )  # fmt: skip
    return certificate_event(number, data)


async def publish(url: str, *events: RecordedEvent) -> None:
    """Publish events on CCC_REGISTRY as the relay does (message id = event id)."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_stream(js, event_stream("registry"))
    for event in events:
        await js.publish(
            event.subject("registry"), event.to_json(), headers={"Nats-Msg-Id": event.event_id}
        )
    await nc.close()


async def run_example(url: str) -> list[str]:
    """Run the example until idle; the lines it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLE), "--nats", url, "--durable", "test-suspensions",
        "--stop-when-idle", "1", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode().splitlines()


async def test_the_example_reads_only_suspensions_and_resumes_where_it_stopped(
    embedded_nats: EmbeddedNats,
) -> None:
    url = embedded_nats.url
    await publish(url, registered("CCC-A"), suspended("CCC-A"), registered("CCC-B"))
    first = await run_example(url)
    assert len(first) == 1
    assert (
        "CertificateSuspended v1 CCC-A follow_up_refused_or_failed by admin:registrar-7"
        in (first[0])
    )
    await publish(url, suspended("CCC-B"))
    second = await run_example(url)  # the durable consumer resumes after CCC-A
    assert len(second) == 1
    assert "CertificateSuspended v1 CCC-B" in second[0]
