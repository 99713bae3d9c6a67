"""End to end: ``ccc-launch`` runs NATS and the four services, and stops them gracefully."""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
    finally:
        launcher.send_signal(signal.SIGTERM)
        exit_code = launcher.wait(60)
    output = (tmp_path / "launcher.log").read_text()
    assert exit_code == 0, output
    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    stopped = {event.get("service") for event in events if event["event"] == "service stopped"}
    assert stopped == {spec.name for spec in SERVICES}
    assert (tmp_path / "var" / "nats" / "store").is_dir()
