"""End to end: ``ccc-launch`` runs NATS and the four services, and stops them gracefully."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest

from ccc_shared.runtime.launcher import SERVICES


def free_port_block(size: int) -> int:
    """Return the first of ``size`` consecutive ports that are free on 127.0.0.1 right now."""
    for _ in range(50):
        base = random.randint(20000, 29000)
        try:
            for port in range(base, base + size):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free block of ports")


def test_launcher_starts_every_service_and_stops_them_on_sigterm(tmp_path: Path) -> None:
    base = free_port_block(len(SERVICES))
    log = (tmp_path / "launcher.log").open("w+b")
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ccc_shared.runtime.launcher",
            "--var-dir",
            str(tmp_path / "var"),
            "--base-port",
            str(base),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while b"is running" not in (tmp_path / "launcher.log").read_bytes():
            assert launcher.poll() is None, (tmp_path / "launcher.log").read_text()
            assert time.monotonic() < deadline, "launcher did not report readiness in 60s"
            time.sleep(0.2)
        for offset, spec in enumerate(SERVICES):
            url = f"http://127.0.0.1:{base + offset}/health"
            with urllib.request.urlopen(url, timeout=5) as response:
                assert json.load(response) == {"service": spec.name, "status": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{base - 1}/health", timeout=5) as response:
            assert json.load(response) == {"service": "console", "status": "ok"}
    finally:
        launcher.send_signal(signal.SIGTERM)
        exit_code = launcher.wait(60)
    output = (tmp_path / "launcher.log").read_text()
    assert exit_code == 0, output
    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    stopped = {event.get("service") for event in events if event["event"] == "service stopped"}
    assert stopped == {spec.name for spec in SERVICES}
    assert (tmp_path / "var" / "nats" / "store").is_dir()


def launch(
    tmp_path: Path, base: int, log_name: str, *extra: str
) -> tuple[subprocess.Popen[bytes], Path]:
    """Start ``ccc-launch`` on a data folder in ``tmp_path``; its output goes to ``log_name``."""
    log = tmp_path / log_name
    process = subprocess.Popen(
        [sys.executable, "-m", "ccc_shared.runtime.launcher", "--var-dir", str(tmp_path / "var"),
         "--base-port", str(base), *extra],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "AUTH_JWT_KEY"},
    )  # fmt: skip
    deadline = time.monotonic() + 150
    while b"is running" not in log.read_bytes():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "launcher did not report readiness in time"
        time.sleep(0.3)
    return process, log


def stop(process: subprocess.Popen[bytes], log: Path) -> None:
    """SIGTERM the launcher and expect a clean exit."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0, log.read_text()


@pytest.mark.timeout(300)  # two starts, each loading the demo and hashing five passwords
def test_make_demo_runs_the_lifecycle_once_and_resumes_on_a_second_run(tmp_path: Path) -> None:
    base = free_port_block(len(SERVICES))
    process, log = launch(tmp_path, base, "first.log", "--demo")
    try:
        output = log.read_text()
        assert "CNCA report due: the officer was notified" in output
        assert "handling  100.0%" in output
        assert "dossiers  100.0%" in output
        tokens = dict(re.findall(r"^  (\w+) +([\w-]{40,})$", output, re.MULTILINE))
        assert set(tokens) == {
            "inspector",
            "case_officer",
            "section_head",
            "auditor",
            "admin",
            "system",
        }
        cases = f"http://127.0.0.1:{base + 2}/cases"
        request = urllib.request.Request(
            cases, headers={"Authorization": f"Bearer {tokens['auditor']}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["total"] == 1
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(cases, timeout=5)
        assert refused.value.code == 401
        # the console: the case officer signs in with the printed password and sees the case
        passwords = dict(re.findall(r"^  \w+ +([\w-]+-\d) +(\S+) ", output, re.MULTILINE))
        assert set(passwords) == {"inspector-7", "officer-3", "head-1", "auditor-2", "admin-1"}
        with httpx.Client(base_url=f"http://127.0.0.1:{base - 1}", timeout=10) as console:
            token = re.findall(r'name="csrf_token" value="([^"]+)"', console.get("/signin").text)
            password = passwords["officer-3"]
            form = {"csrf_token": token[0], "user_id": "officer-3", "password": password}
            page = console.post("/signin", data=form, follow_redirects=True)
        assert page.status_code == 200
        assert "CCC-2026-00001" in page.text
        # the auditor reads the case's audit timeline from the streams (secured bus, read-only)
        with httpx.Client(base_url=f"http://127.0.0.1:{base - 1}", timeout=60) as console:
            token = re.findall(r'name="csrf_token" value="([^"]+)"', console.get("/signin").text)
            form = {"csrf_token": token[0], "user_id": "auditor-2",
                    "password": passwords["auditor-2"]}  # fmt: skip
            console.post("/signin", data=form)
            timeline = console.get("/audit/case/CCC-2026-00001")
        assert timeline.status_code == 200, timeline.text[-2000:]
        assert "CaseOpened" in timeline.text
    finally:
        stop(process, log)
    process, log = launch(tmp_path, base, "second.log", "--demo")
    try:
        output = log.read_text()
        assert "(0 newly registered)" in output
        assert "lifecycle already run" in output
        assert "handling  100.0%" in output
    finally:
        stop(process, log)
