"""The subscriber example of docs/subscribers.md, run as a real process against real NATS."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats

sys.path.insert(0, str(Path(__file__).parent))

from test_audit_support import publish, registered, suspended

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "subscriber.py"
pytestmark = pytest.mark.integration


async def run_example(url: str, *options: str, env: dict[str, str] | None = None) -> list[str]:
    """Run the example until idle; the lines it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLE), "--nats", url, "--durable", "test-suspensions",
        "--stop-when-idle", "3", *options, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
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
