"""End-to-end bench: certificate suspensions driven through the four service processes.

Each lifecycle here is the reactive chain the bureau depends on: a certification body's
``CertificateSuspended`` is recorded over HTTP by the registry, published by its relay, and
the other services react on their own: inspection schedules the surprise inspection and
notification sends the dossier custodian's notice. The latency of a lifecycle is from the
suspension's ``occurred_at`` to the ``NotificationSent`` of its notice (both stamped by the
services on this machine), read from the streams; a lifecycle is done when both reactions
are on the bus. The full lifecycle down to the CNCA report is asserted by ``tests/e2e``;
its ~15 manual HTTP steps per case are people's work, not a throughput path.

Two phases on fresh enterprises: paced at ``--rate`` suspensions per second, then at full
speed (``--concurrency`` callers at once). Printed: lifecycles/s and p50/p99 latency, beside
the target (p99 under 100 ms when paced) as a ratio, and the CPU time each service process
spent per lifecycle (what bounds full speed on a small machine).

    uv run python bench/e2e.py [--lifecycles 300] [--rate 100] [--store sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import nats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import postgres_url, scratch_postgres
from ccc_shared.demo.client import ServiceClient
from ccc_shared.demo.jurisdiction import BODIES, build_jurisdiction
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.launcher import SERVICES
from ccc_shared.testing.actors import TEST_JWT, actor_headers
from ccc_shared.testing.system import System, running_system

TARGET_P99_MS = 100.0
SUSPENSION = {"reason_code": "follow_up_refused_or_failed", "reason": "bench"}


@dataclass
class Watch:
    """What the streams said: when each suspension happened and when its reactions came."""

    suspended_at: dict[str, datetime] = field(default_factory=dict)
    noticed_at: dict[str, datetime] = field(default_factory=dict)
    inspected: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self, cause: str) -> bool:
        with self.lock:
            return (
                cause in self.noticed_at and cause in self.inspected and cause in self.suspended_at
            )

    def latency_ms(self, cause: str) -> float:
        with self.lock:
            delta = self.noticed_at[cause] - self.suspended_at[cause]
        return delta.total_seconds() * 1000


def moment(text: str) -> datetime:
    """An envelope's ISO timestamp."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def watch_streams(url: str, watch: Watch, stop: asyncio.Event) -> None:
    """Follow the three streams (new messages only) and note suspensions and reactions."""
    nc = await nats.connect(url)
    js = nc.jetstream()

    async def on_message(msg: object) -> None:
        envelope = json.loads(msg.data)  # type: ignore[attr-defined]
        data, kind = envelope["data"], envelope["event_type"]
        with watch.lock:
            if kind == "CertificateSuspended":
                watch.suspended_at[envelope["event_id"]] = moment(envelope["occurred_at"])
            elif kind == "NotificationSent":  # a suspension's one notice: to the custodian
                cause = str(data["cause_event_id"])
                watch.noticed_at.setdefault(cause, moment(envelope["occurred_at"]))
            elif kind == "InspectionScheduled" and data["inspection_id"].startswith("surprise-"):
                watch.inspected.add(data["inspection_id"].removeprefix("surprise-"))

    subscriptions = [
        await js.subscribe(
            subject, cb=on_message, ordered_consumer=True, deliver_policy=DELIVER_NEW
        )
        for subject in (
            "ccc.registry.certificate.*.CertificateSuspended",
            "ccc.inspection.inspection.*.InspectionScheduled",
            "ccc.notification.*.*.NotificationSent",
        )
    ]
    await stop.wait()
    for subscription in subscriptions:
        await subscription.unsubscribe()
    await nc.close()


DELIVER_NEW = nats.js.api.DeliverPolicy.NEW


async def backlog(url: str) -> tuple[int, int]:
    """Messages not yet delivered or not yet acknowledged, over every consumer of every stream,
    and the sum of the streams' last sequences (which moves while anything is still publishing).
    """
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        waiting, last = 0, 0
        for stream in await js.streams_info():
            last += stream.state.last_seq
            for consumer in await js.consumers_info(str(stream.config.name)):
                if consumer.config.durable_name:  # the watcher's own ordered consumers aside
                    waiting += (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
        return waiting, last
    finally:
        await nc.close()


def settle(url: str, within: float = 300.0) -> float:
    """Wait until every service has caught up (no backlog, nothing published for 0.5 s).

    A phase must not start while the services still work through what came before it (the
    registrations set off patrol planning and projections in three services), or it measures
    that backlog instead of the phase. Returns the seconds waited.
    """
    started = time.monotonic()
    quiet_since, seen = None, (-1, -1)
    while time.monotonic() - started < within:
        now = asyncio.run(backlog(url))
        if now[0] == 0 and now == seen:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 0.5:
                return time.monotonic() - started
        else:
            quiet_since, seen = None, now
        time.sleep(0.1)
    raise SystemExit(f"the services did not catch up within {within:.0f} s")


def register(registry: ServiceClient, count: int, seed: int) -> list[str]:
    """Register ``count`` fresh enterprises with one certificate each; their numbers."""
    jurisdiction = build_jurisdiction(count * 2, today=date(2026, 11, 1), seed=seed)
    held = [e for e in jurisdiction.enterprises if e.certificates][:count]
    for body in BODIES:
        registry.post_once("/certification-bodies", body, role="admin")

    def one(enterprise: object) -> str:
        registry.post_once("/enterprises", enterprise.registration)  # type: ignore[attr-defined]
        certificate = enterprise.certificates[0]  # type: ignore[attr-defined]
        registry.post_once("/certificates", certificate)
        return str(certificate["number"])

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, held))


def suspend(registry: ServiceClient, number: str) -> str:
    """Suspend a certificate over HTTP; the suspension's event id."""
    result = registry.post(f"/certificates/{number}/suspend", SUSPENSION, role="system")
    return str(result["events"][0]["event_id"])


def drive(
    registry: ServiceClient, numbers: list[str], rate: float | None, concurrency: int
) -> list[str]:
    """Suspend every certificate, paced at ``rate`` per second or as fast as possible."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = []
        for index, number in enumerate(numbers):
            if rate is not None:
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            futures.append(pool.submit(suspend, registry, number))
        return [future.result() for future in futures]


@dataclass(frozen=True)
class Result:
    """One phase's figures."""

    phase: str
    lifecycles: int
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: dict[str, float]  # CPU time per lifecycle, per service process


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def service_cpu(system: System) -> dict[str, float]:
    """CPU seconds used so far by each service process."""
    return {name: cpu_seconds(s.process.pid) for name, s in system.services.items()}


def phase(
    system: System,
    watch: Watch,
    name: str,
    numbers: list[str],
    rate: float | None,
    concurrency: int,
) -> Result:
    """Run one phase and wait until every lifecycle's reactions are on the bus."""
    registry = system.client("enterprise-registry")
    waited = settle(system.nats_url)
    print(f"{name}: the services caught up in {waited:.1f} s; driving ...", file=sys.stderr)
    started, cpu_before = time.perf_counter(), service_cpu(system)
    causes = drive(registry, numbers, rate, concurrency)
    deadline = time.monotonic() + 120
    while not all(watch.done(cause) for cause in causes):
        if time.monotonic() > deadline:
            missing = [c for c in causes if not watch.done(c)]
            raise SystemExit(f"{name}: {len(missing)} lifecycles unfinished after 120 s")
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    cpu = {
        name: (used - cpu_before[name]) * 1000 / len(causes)
        for name, used in service_cpu(system).items()
    }
    latencies = sorted(watch.latency_ms(cause) for cause in causes)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    median = statistics.median(latencies)
    return Result(name, len(causes), len(causes) / elapsed, median, p99, cpu)


@contextmanager
def system_on(store: str, folder: Path) -> Iterator[System]:
    """The four services on a private NATS, on SQLite files or PostgreSQL databases."""
    with ExitStack() as stack:
        nats_server = stack.enter_context(EmbeddedNats(folder / "nats"))
        nats_server.start()
        urls: dict[str, str] = {}
        if store == "postgresql":
            for spec in SERVICES:
                name = stack.enter_context(scratch_postgres(f"ccc_bench_{spec.name[:5]}"))
                urls[spec.name] = postgres_url(name)
        environment = {"LOG_LEVEL": "warning"}
        yield stack.enter_context(
            running_system(nats_server.url, folder / "var", urls, environment)
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=300, help="per phase")
    parser.add_argument("--rate", type=float, default=100.0, help="paced phase, per second")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    os.environ.setdefault("AUTH_JWT_KEY", TEST_JWT.key)
    assert actor_headers("system")  # tokens are signed with the key the services check

    with (
        tempfile.TemporaryDirectory() as scratch,
        system_on(arguments.store, Path(scratch)) as system,
    ):
        watch, stop = Watch(), asyncio.Event()
        loop = asyncio.new_event_loop()
        watcher = threading.Thread(
            target=loop.run_until_complete, args=(watch_streams(system.nats_url, watch, stop),)
        )
        watcher.start()
        time.sleep(0.5)  # the watcher's consumers exist before the first suspension
        registry = system.client("enterprise-registry")
        count = arguments.lifecycles
        print(f"registering {2 * count} enterprises and certificates ...", file=sys.stderr)
        numbers = register(registry, 2 * count, seed=4242)
        results = [
            phase(
                system,
                watch,
                f"paced {arguments.rate:g}/s",
                numbers[:count],
                arguments.rate,
                arguments.concurrency,
            ),
            phase(system, watch, "full speed", numbers[count:], None, arguments.concurrency),
        ]
        loop.call_soon_threadsafe(stop.set)
        watcher.join(10)

    print(
        f"\nend to end on {arguments.store}: suspension -> surprise inspection + custodian notice"
    )
    print(
        "| phase | lifecycles | per second | p50 ms | p99 ms | target p99 ms | target/p99 | met? |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for result in results:
        ratio = TARGET_P99_MS / result.p99_ms if result.p99_ms else float("inf")
        met = (
            "yes"
            if result.p99_ms < TARGET_P99_MS
            else ("NO" if result.phase.startswith("paced") else "-")
        )
        print(
            f"| {result.phase} | {result.lifecycles} | {result.per_second:,.1f}"
            f" | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {TARGET_P99_MS:.0f} | {ratio:.2f}x"
            f" | {met} |"
        )
    print("\nCPU per lifecycle (ms, each service process; the machine has "
          f"{os.cpu_count()} cores)")  # fmt: skip
    names = list(results[0].cpu_ms)
    print("| phase | " + " | ".join(names) + " | all |")
    print("| --- |" + " ---: |" * (len(names) + 1))
    for result in results:
        cells = " | ".join(f"{result.cpu_ms[name]:.1f}" for name in names)
        print(f"| {result.phase} | {cells} | {sum(result.cpu_ms.values()):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
