"""The audit timeline page when the bus cannot be reached, and for a role that may not read it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from console_support import PASSWORDS, Clock, console_settings, sign_in
from fastapi.testclient import TestClient

from console.main import create_app

pytestmark = pytest.mark.integration


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_bus_that_cannot_be_reached_is_said_in_chinese_not_a_server_error(
    tmp_path: Path, users_file: Path, clock: Clock
) -> None:
    settings = console_settings(tmp_path, users_file, nats_url=f"nats://127.0.0.1:{closed_port()}")
    with TestClient(create_app(settings, clock=clock), follow_redirects=False) as client:
        assert sign_in(client, "auditor-2", PASSWORDS["auditor"]).status_code == 303
        page = client.get("/audit/case/CCC-2026-00001")
    assert page.status_code == 503
    assert "暂时无法" in page.text


def test_a_case_officer_may_not_read_the_streams_timeline(console: TestClient) -> None:
    assert sign_in(console, "officer-3", PASSWORDS["case_officer"]).status_code == 303
    page = console.get("/audit/enterprise/91330100MA0000001F")
    assert page.status_code == 403
    assert "您的角色无权办理此事项" in page.text


def test_only_an_enterprise_certificate_or_case_has_a_timeline(console: TestClient) -> None:
    assert sign_in(console, "auditor-2", PASSWORDS["auditor"]).status_code == 303
    assert console.get("/audit/inspection/INS-1").status_code == 422
