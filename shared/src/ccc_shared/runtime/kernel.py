"""What every service runs besides its HTTP routes: its store, the bus, the relay, the runners.

``ccc_shared.runtime.build.build_app(service, settings)`` builds a service from its record
(``ccc_shared.service``); the ``ServiceKernel`` it holds is started by the app's lifespan.
On shutdown (SIGTERM via uvicorn) the runners finish and commit their in-flight batch, the
relay finishes its batch, then the NATS connection drains and the store closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import nats
import structlog
from fastapi import APIRouter, FastAPI
from nats.aio.client import Client as NatsClient

from ccc_contracts import PUBLISHERS, all_contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.eventstore.sql import HEADER_ALLOWANCE, SqlEventStore
from ccc_shared.messaging import (
    DeadLetterPublisher,
    Handler,
    OutboxRelay,
    SubscriptionRunner,
    deadletter_stream,
    ensure_stream,
    event_stream,
    stream_name,
)
from ccc_shared.messaging.redrive import RedriveListener
from ccc_shared.messaging.runner import DEFAULT_ACK_WAIT, DEFAULT_BACKOFF
from ccc_shared.runtime.access import AccessTable, install_access_control
from ccc_shared.runtime.app import build_service_app
from ccc_shared.runtime.auth import authenticator_for
from ccc_shared.runtime.readiness import install_operations
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.service import Migration

DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
T = TypeVar("T")
RETRY_CAP = 5.0  # the longest wait between two start-up attempts
CONNECT_ATTEMPT = 3.0  # seconds one connect attempt may take (nats-py would retry for ever)


class StartupError(RuntimeError):
    """The bus was not ready for the kernel within ``startup_wait_seconds``."""


def event_size_limit(max_payload: int, configured: int | None) -> int:
    """The largest event to store: what the server carries less its headers, or less if set."""
    carried = max_payload - HEADER_ALLOWANCE
    return carried if configured is None else min(configured, carried)


@dataclass(frozen=True)
class Subscription:
    """A durable consumer of another service's events and the handler that applies them."""

    name: str
    context: str
    subjects: Sequence[str]
    handler: Handler
    batch_size: int = 256
    max_deliver: int = 5
    backoff: Sequence[float] = field(default=DEFAULT_BACKOFF)  # seconds, capped: see runner
    ack_wait: float = DEFAULT_ACK_WAIT


Subscriptions = Sequence[Subscription] | Callable[[SqlEventStore], Sequence[Subscription]]


def open_store(
    settings: ServiceSettings,
    context: str,
    registry: EventRegistry,
    published: EventRegistry | None = None,
) -> SqlEventStore:
    """A service's event store on ``settings.database_url`` (nothing is connected yet)."""
    return SqlEventStore(
        settings.database_url,
        registry=registry,
        source=settings.service_name,
        context=context,
        published=published or PUBLISHERS.get(context),
    )


class ServiceKernel:
    """One service's store, bus connection, outbox relay and subscription runners."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        context: str,
        registry: EventRegistry,
        subscriptions: Subscriptions = (),
        consumed: EventRegistry | None = None,
        published: EventRegistry | None = None,
        migrations: Sequence[Migration] = (),
        store: SqlEventStore | None = None,
    ) -> None:
        """``registry``: all the service stores; ``published``: its contract events (default:
        the context's contracts when ``ccc_contracts`` has them, else everything);
        ``store``: one already opened (``open_store``) instead of a new one."""
        self.settings = settings
        self.context = context
        self.store = store or open_store(settings, context, registry, published)
        self.migrations = tuple(migrations)
        self.subscriptions = tuple(
            subscriptions(self.store) if callable(subscriptions) else subscriptions
        )
        names = [subscription.name for subscription in self.subscriptions]
        if len(set(names)) != len(names):
            # a consumer's checkpoint and processed ids are keyed by its name: two streams
            # under one name would share (and corrupt) one checkpoint
            raise ValueError(f"subscription names must be unique, got {names}")
        self.consumed = consumed or all_contracts()
        self.log = structlog.get_logger(settings.service_name)
        self.nc: NatsClient | None = None
        self.relay: OutboxRelay | None = None
        self.runners: list[SubscriptionRunner] = []
        self._tasks: list[asyncio.Task[None]] = []
        self.on_relay_batch: Callable[[int, float], None] | None = None  # metrics
        self._deadline = 0.0
        self.redrive: RedriveListener | None = None

    async def start(self) -> None:
        """Migrate the store, connect to NATS, ensure streams, start the relay and runners.

        Each bus step is retried with backoff (one warning per attempt) until it works or
        ``startup_wait_seconds`` have passed: a slow or late cluster delays the start, and
        only a bus that stays away stops it, with ``StartupError`` naming the step.
        """
        await asyncio.to_thread(self.store.migrate)
        for migration in self.migrations:  # the service's own tables, before any runner starts
            await asyncio.to_thread(migration, self.store.engine)
        self._deadline = time.monotonic() + self.settings.startup_wait_seconds
        self.nc = await self._patiently("connect to NATS", self._connect, CONNECT_ATTEMPT)
        self.store.max_event_bytes = event_size_limit(
            self.nc.max_payload, self.settings.max_event_bytes
        )
        js = self.nc.jetstream()
        replicas = self.settings.stream_replicas
        own = event_stream(self.context, replicas=replicas)
        await self._patiently(f"ensure stream {own.name}", lambda: ensure_stream(js, own))
        deadletters = DeadLetterPublisher(js, deadletter_stream(replicas=replicas))
        await self._patiently("ensure the dead-letter stream", deadletters.ensure_stream)
        self.relay = OutboxRelay(self.store, js, own)
        self.relay.on_batch = self.on_relay_batch
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for subscription in self.subscriptions:
            # the publisher's stream may not exist yet if that service has never started
            consumed = event_stream(subscription.context, replicas=replicas)
            await self._patiently(
                f"ensure stream {consumed.name}",
                lambda c=consumed: ensure_stream(js, c, update=False),  # type: ignore[misc]
            )
            runner = SubscriptionRunner(
                self.store,
                js,
                name=subscription.name,
                stream=stream_name(subscription.context),
                filter_subjects=subscription.subjects,
                registry=self.consumed,
                handler=subscription.handler,
                batch_size=subscription.batch_size,
                max_deliver=subscription.max_deliver,
                backoff=subscription.backoff,
                ack_wait=subscription.ack_wait,
                deadletter=deadletters,
            )
            await self._patiently(f"create consumer {subscription.name}", runner.start)
            self.runners.append(runner)
            self._tasks.append(asyncio.create_task(runner.run(), name=subscription.name))
        if self.runners:  # an operator's re-drives of this service's dead letters
            self.redrive = RedriveListener(js, self.context, self.runners)
            self._tasks.append(asyncio.create_task(self.redrive.run(), name="redrive"))
        self.log.info("kernel started", stream=own.name, subscriptions=len(self.runners))

    async def _connect(self) -> NatsClient:
        async def report(error: Exception) -> None:
            self.log.warning("bus connection error", error=repr(error))

        return await nats.connect(
            # a cluster is given as a comma-separated list of its servers' URLs
            servers=[
                url.strip() for url in (self.settings.nats_url or DEFAULT_NATS_URL).split(",")
            ],
            name=self.settings.service_name,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            error_cb=report,
            **self.settings.nats_connect_options(),  # its own user: deploy/nats permissions
        )

    async def _patiently(
        self, step: str, attempt: Callable[[], Awaitable[T]], limit: float | None = None
    ) -> T:
        """Run a start-up step until it works, backing off, until the start-up deadline."""
        delay, tries = 0.2, 1
        while True:
            remaining = self._deadline - time.monotonic()
            try:
                bound = max(min(remaining, limit or remaining), 0.1)
                return await asyncio.wait_for(attempt(), bound)
            except Exception as error:
                remaining = self._deadline - time.monotonic()
                if remaining <= 0:
                    raise StartupError(
                        f"{step}: the bus was not ready within"
                        f" {self.settings.startup_wait_seconds:.0f} s ({error!r})"
                    ) from error
                self.log.warning(
                    "bus not ready, waiting", step=step, attempt=tries,
                    retry_in=round(min(delay, remaining), 2), error=repr(error),
                )  # fmt: skip
                await asyncio.sleep(min(delay, remaining))
                delay, tries = min(delay * 2, RETRY_CAP), tries + 1

    async def stop(self) -> None:
        """Finish in-flight batches (their checkpoints commit), then disconnect and close."""
        if self.redrive is not None:
            self.redrive.stop()
        await asyncio.gather(*(runner.stop() for runner in self.runners))
        if self.relay is not None:
            await self.relay.stop()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.nc is not None and not self.nc.is_closed:
            # nothing is in flight any more: flush the last acks and close (a drain would
            # wait out its 30 s timeout on the idle pull subscriptions)
            with contextlib.suppress(Exception):
                await self.nc.flush(timeout=5)
            await self.nc.close()
        await asyncio.to_thread(self.store.close)
        self.log.info("kernel stopped")

    @asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        """Run the kernel for the life of the HTTP app."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()


def build_kernel_app(
    settings: ServiceSettings,
    *,
    context: str,
    registry: EventRegistry,
    subscriptions: Subscriptions = (),
    routers: Sequence[APIRouter] = (),
    migrations: Sequence[Migration] = (),
    upload_routes: Collection[str] = (),
    access: AccessTable | None = None,
) -> FastAPI:
    """A service's HTTP app with its kernel running for the app's life (``app.state.kernel``).

    Access control is always on: a request needs a bearer token (``AUTH_JWT_KEY`` or
    ``AUTH_USERS_FILE`` say how to check it) and a role ``access`` allows (none given: every
    route but the public ones is refused).

    ``subscriptions`` may be a function of the store, for handlers that append to it;
    ``upload_routes`` name the routes whose body may reach ``settings.max_upload_bytes``.
    """
    kernel = ServiceKernel(
        settings,
        context=context,
        registry=registry,
        subscriptions=subscriptions,
        migrations=migrations,
    )
    return serve(kernel, settings, routers, upload_routes, access or {})


def serve(
    kernel: ServiceKernel,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    upload_routes: Collection[str],
    access: AccessTable,
) -> FastAPI:
    """The HTTP app running ``kernel`` for its life, with operations routes and access control."""
    app = build_service_app(
        settings, lifespan=kernel.lifespan, routers=routers, upload_routes=upload_routes
    )
    app.state.kernel = kernel
    install_operations(app, kernel)  # GET /ready, GET /metrics
    # every route (those a service adds later too) is checked against the service's rows
    install_access_control(app, kernel.context, authenticator_for(settings), access)
    return app
