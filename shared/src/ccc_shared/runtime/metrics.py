"""``GET /metrics`` in the Prometheus text format: what an operator watches on each service.

Commands by route and outcome and their latency (a middleware on state-changing requests),
events appended, the outbox's depth and the age of its oldest event, per consumer the messages
pending and awaiting ack, handled, retried and dead-lettered (and the letters kept in
CCC_DEADLETTER), and the relay's publish latency. Values that need the database or the bus are
read when scraped, each bounded by a timeout; one that cannot be read is left out, not faked.
Each app has its own registry (tests build many apps in one process).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import func, select

from ccc_shared.eventstore.schema import events, outbox
from ccc_shared.messaging.streams import DEADLETTER_PREFIX, DEADLETTER_STREAM

if TYPE_CHECKING:
    from ccc_shared.runtime.kernel import ServiceKernel

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]  # fmt: skip
QUERIES = frozenset({"GET", "HEAD", "OPTIONS"})
READ_TIMEOUT = 2.0  # seconds a scrape waits for the database or the bus, per value
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Snapshot:
    """The values read from the database and the bus at the last scrape."""

    outbox_depth: int | None = None
    outbox_oldest_age: float | None = None
    events_appended: int | None = None
    consumers: dict[str, tuple[int, int]] = field(default_factory=dict)  # pending, ack pending
    deadletters: dict[str, int] = field(default_factory=dict)  # consumer -> letters kept


class ServiceMetrics:
    """A service's Prometheus registry: command and relay metrics, and the kernel's state."""

    def __init__(self, kernel: ServiceKernel) -> None:
        self.kernel = kernel
        self.registry = CollectorRegistry(auto_describe=False)
        self.commands = Counter(
            "ccc_commands", "State-changing requests by route, method and status",
            ["route", "method", "status"], registry=self.registry,
        )  # fmt: skip
        self.command_seconds = Histogram(
            "ccc_command_seconds", "Time to answer a state-changing request",
            ["route", "method"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.relay_seconds = Histogram(
            "ccc_relay_publish_seconds", "Time from sending an outbox batch to its last ack",
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.snapshot = Snapshot()
        self.registry.register(_KernelCollector(self))
        kernel.on_relay_batch = lambda _acked, seconds: self.relay_seconds.observe(seconds)

    async def render(self) -> bytes:
        """Read the current state, then the whole registry in the text format."""
        await self.refresh()
        return generate_latest(self.registry)

    async def refresh(self) -> None:
        """Read the outbox and the consumers (each bounded; unreadable values are dropped)."""
        kernel, snapshot = self.kernel, Snapshot()
        try:
            depth, age, appended = await asyncio.wait_for(
                asyncio.to_thread(outbox_state, kernel), READ_TIMEOUT
            )
            snapshot.outbox_depth, snapshot.outbox_oldest_age = depth, age
            snapshot.events_appended = appended
        except Exception:  # the database is down: /ready says so
            pass
        nc = kernel.nc
        if nc is not None and nc.is_connected:
            js = nc.jetstream(timeout=READ_TIMEOUT)
            for runner in kernel.runners:
                try:
                    info = await js.consumer_info(runner.stream, runner.name)
                except Exception:
                    continue
                snapshot.consumers[runner.name] = (info.num_pending or 0, info.num_ack_pending)
            try:
                letters = await js.stream_info(DEADLETTER_STREAM, f"{DEADLETTER_PREFIX}.>")
            except Exception:
                letters = None
            if letters is not None:
                snapshot.deadletters = letters_by_consumer(
                    (letters.state.subjects or {}).items(), [r.name for r in kernel.runners]
                )
        self.snapshot = snapshot


def letters_by_consumer(
    subjects: Iterable[tuple[str, int]], consumers: list[str]
) -> dict[str, int]:
    """Dead letters kept per consumer, from the stream's subject counts."""
    counts = dict.fromkeys(consumers, 0)
    for subject, count in subjects:
        consumer = subject.split(".")[2] if subject.count(".") >= 2 else ""
        if consumer in counts:
            counts[consumer] += count
    return counts


def outbox_state(kernel: ServiceKernel) -> tuple[int, float, int]:
    """Events waiting in the outbox, the age of the oldest (s) and the events ever appended."""
    oldest = (
        select(events.c.recorded_at)
        .join(outbox, outbox.c.event_id == events.c.event_id)
        .order_by(outbox.c.id)
        .limit(1)
    )
    with kernel.store.reading() as conn:
        depth = int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())
        recorded = conn.execute(oldest).scalar()
        appended = int(conn.execute(select(func.max(events.c.position))).scalar() or 0)
    age = 0.0 if recorded is None else (datetime.now(UTC) - recorded).total_seconds()
    return depth, max(age, 0.0), appended


class _KernelCollector:
    """Turns the runners' counters and the last snapshot into metrics at each scrape."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable[Metric]:
        kernel, snapshot = self.metrics.kernel, self.metrics.snapshot
        if snapshot.events_appended is not None:
            yield CounterMetricFamily(
                "ccc_events_appended", "Events appended to the store", snapshot.events_appended
            )
        if snapshot.outbox_depth is not None:
            yield GaugeMetricFamily(
                "ccc_outbox_depth", "Events waiting to be published", snapshot.outbox_depth
            )
            yield GaugeMetricFamily(
                "ccc_outbox_oldest_age_seconds", "Age of the oldest event waiting to be published",
                snapshot.outbox_oldest_age,
            )  # fmt: skip
        if kernel.relay is not None:
            yield CounterMetricFamily(
                "ccc_relay_published", "Events the stream acknowledged", kernel.relay.published
            )
            yield CounterMetricFamily(
                "ccc_relay_failures", "Relay passes that failed", kernel.relay.failures
            )
        if kernel.redrive is not None:
            yield CounterMetricFamily(
                "ccc_redriven", "Dead letters handled again on an operator's request",
                kernel.redrive.redriven,
            )  # fmt: skip
        yield from self._consumers(snapshot)

    def _consumers(self, snapshot: Snapshot) -> Iterable[Metric]:
        families: dict[str, GaugeMetricFamily | CounterMetricFamily] = {
            "pending": GaugeMetricFamily(
                "ccc_consumer_pending", "Messages not yet delivered", labels=["consumer"]
            ),
            "ack": GaugeMetricFamily(
                "ccc_consumer_ack_pending", "Messages awaiting ack", labels=["consumer"]
            ),
            "processed": CounterMetricFamily(
                "ccc_consumer_processed", "Events handled", labels=["consumer"]
            ),
            "retried": CounterMetricFamily(
                "ccc_consumer_retries", "Messages given back to retry", labels=["consumer"]
            ),
            "dead": CounterMetricFamily(
                "ccc_consumer_dead_lettered", "Messages dead-lettered", labels=["consumer"]
            ),
            "letters": GaugeMetricFamily(
                "ccc_deadletters", "Letters kept in CCC_DEADLETTER", labels=["consumer"]
            ),
        }
        for runner in self.metrics.kernel.runners:
            name, counts = [runner.name], runner.metrics
            if runner.name in snapshot.consumers:
                pending, ack_pending = snapshot.consumers[runner.name]
                families["pending"].add_metric(name, pending)
                families["ack"].add_metric(name, ack_pending)
            families["processed"].add_metric(name, counts.processed)
            families["retried"].add_metric(name, counts.retried)
            families["dead"].add_metric(name, counts.dead_lettered)
            if runner.name in snapshot.deadletters:
                families["letters"].add_metric(name, snapshot.deadletters[runner.name])
        yield from families.values()


class CommandMetrics:
    """ASGI middleware counting state-changing requests by route template and status."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in QUERIES:
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.commands.labels(route, method, str(status)).inc()
            self.metrics.command_seconds.labels(route, method).observe(
                time.perf_counter() - started
            )
