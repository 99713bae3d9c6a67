"""On a secured bus the auditors' tool and the subscriber example read as ``outside``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats

sys.path.insert(0, str(Path(__file__).parent))

from test_audit_subscriber_example import run_example
from test_audit_support import HOLDER, publish, registered, run_cli, suspended

pytestmark = pytest.mark.integration


async def test_outside_reads_the_record_with_the_tool_and_the_example(
    secure_nats: EmbeddedNats, capsys: pytest.CaptureFixture[str]
) -> None:
    url = secure_nats.url
    registry_user, registry_password = secure_nats.credentials("registry")
    await publish(url, registered("CCC-S1"), suspended("CCC-S1"),
                  user=registry_user, password=registry_password)  # fmt: skip
    user, password = secure_nats.credentials("outside")
    login = ["--nats", url, "--nats-user", user, "--nats-password", password]
    status, out, err = await run_cli(capsys, "export", "--stream", "CCC_REGISTRY", *login)
    assert status == 0, err
    assert [json.loads(line)["event_type"] for line in out.splitlines()] == [
        "CertificateRegistered",
        "CertificateSuspended",
    ]
    status, out, err = await run_cli(
        capsys, "timeline", "--enterprise", HOLDER, "--format", "jsonl", *login
    )
    assert status == 0, err
    assert len(out.splitlines()) == 2
    # the embedded server's own credentials file, as `make demo` leaves it in var/nats
    status, out, err = await run_cli(
        capsys, "export", "--stream", "CCC_REGISTRY", "--nats", url,
        "--nats-data", str(secure_nats.data_dir),
    )  # fmt: skip
    assert status == 0, err
    assert len(out.splitlines()) == 2
    environment = {**os.environ, "NATS_USER": user, "NATS_PASSWORD": password}
    lines = await run_example(url, env=environment)
    assert len(lines) == 1
    assert "CertificateSuspended v1 CCC-S1" in lines[0]
