"""The four services as separate OS processes (end-to-end tests, benchmarks): clients and logs."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ccc_shared.demo.client import ServiceClient
from ccc_shared.runtime.launcher import (
    SERVICES,
    RunningService,
    start_service,
    stop_services,
    wait_until_healthy,
)
from ccc_shared.testing.actors import actor_headers

T = TypeVar("T")


def free_port_block(size: int) -> int:
    """The first of ``size`` consecutive ports free on 127.0.0.1 right now."""
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


@dataclass
class System:
    """The running system: one client per service, the NATS URL, and where the logs are."""

    services: dict[str, RunningService]
    nats_url: str
    logs: Path

    def client(self, name: str) -> ServiceClient:
        """A client of one service (``enterprise-registry``, ``inspection``, ...)."""
        return ServiceClient(self.services[name].url, actor_headers)

    def log_tail(self, lines: int = 40) -> str:
        """The end of every service's log, for a failing assertion's message."""
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(parts)

    def eventually(self, probe: Callable[[], T | None], timeout: float = 20.0) -> T:
        """Poll ``probe`` until it returns something other than None (or fail with the logs)."""
        deadline = time.monotonic() + timeout
        while True:
            result = probe()
            if result is not None:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout}s\n{self.log_tail()}")
            time.sleep(0.1)


@contextmanager
def running_system(
    nats_url: str,
    folder: Path,
    database_urls: dict[str, str] | None = None,
    environment: dict[str, Any] | None = None,
    startup_timeout: float = 180.0,
) -> Iterator[System]:
    """Start the four services as processes (SQLite files in ``folder`` unless URLs are given)."""
    base = free_port_block(len(SERVICES))
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started: list[RunningService] = []
    with ExitStack() as stack:
        stack.callback(stop_services, started)
        for offset, spec in enumerate(SERVICES):
            output = stack.enter_context((logs / f"{spec.name}.log").open("wb"))
            settings = {f"{spec.env_prefix}{k}": str(v) for k, v in (environment or {}).items()}
            settings[f"{spec.env_prefix}LOG_FORMAT"] = "json"
            started.append(
                start_service(
                    spec,
                    base + offset,
                    nats_url,
                    folder,
                    database_url=(database_urls or {}).get(spec.name),
                    environment=settings,
                    output=output,
                )
            )
        system = System({s.spec.name: s for s in started}, nats_url, logs)
        problem = wait_until_healthy(started, threading.Event(), timeout=startup_timeout)
        if problem is not None:
            raise AssertionError(f"start-up failed: {problem}\n{system.log_tail()}")
        yield system
