"""A subscriber kit on FastStream: typed handlers, each event handled once, acked after commit.

Install with ``pip install 'ccc-contracts[subscriber]'``. A subscriber names itself (the bureau
gives it a NATS account of that name), declares a handler per event type it wants, and points
the kit at its own database::

    subscriber = Subscriber("warehouse", database_url="postgresql+psycopg://.../warehouse")

    @subscriber.handles(CertificateSuspended)
    def suspended(event: Received[CertificateSuspended], conn: Connection) -> None:
        conn.execute(update(certificates).where(...).values(status="suspended"))

    app = subscriber.app(nats_url, user="warehouse", password=...)   # faststream run module:app

For each stream it needs the kit keeps one durable pull consumer, named after the subscriber
and filtered to exactly the subjects of the handled event types (``watch`` widens a filter).
A fetched batch is decoded and upcast to the newest version of each type, its hashes are
checked, and in **one database transaction** each event not handled before runs its handler
and its id is recorded in ``ccc_handled_events``; only after that commit are the messages
acknowledged. A redelivered event (after a crash between commit and ack, or a restart) finds
its id there and is acknowledged without running again. An event type this version of
``ccc_contracts`` does not know is acknowledged and skipped. A handler that raises rolls the
batch back; the batch is then retried one event per transaction, so only the failing event is
redelivered (after a growing delay, at most ``max_deliver`` times, then terminated and logged).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast

from faststream import AckPolicy, FastStream
from faststream.nats import ConsumerConfig, DeliverPolicy, JStream, NatsBroker, PullSub
from faststream.nats.security import NatsUserPassword
from faststream.specification import AsyncAPI
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy as ServerAckPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError, create_model
from sqlalchemy import (
    Engine,
    create_engine,
    func,
    select,
)

from ccc_contracts import PUBLISHERS, all_contracts
from ccc_contracts.base import EventData, EventRegistry, UnknownEventTypeError
from ccc_contracts.envelope import RecordedEvent, WireEnvelope, typed_envelope
from ccc_contracts.once import (
    Delivery,
    Handler,
    OnceApplier,
    Outcome,
    handled_events,
    handled_metadata,
)
from ccc_contracts.once import Received as Received
from ccc_contracts.subjects import aggregate_subjects, stream_name

if TYPE_CHECKING:
    from nats.aio.msg import Msg

log = logging.getLogger("ccc_contracts.subscriber")

DataT = TypeVar("DataT", bound=EventData)


@dataclass
class Subscriber(OnceApplier):
    """An outside system's subscription to the bureau's events (one per NATS account)."""

    name: str
    database_url: str | Engine
    contracts: EventRegistry = field(default_factory=all_contracts)
    batch_size: int = 64
    batch_timeout: float = 0.2  # seconds to fill a batch before handling what came
    ack_wait: float = 30.0
    max_deliver: int = 5
    retry_delays: Sequence[float] = (1.0, 5.0, 30.0)
    check_hashes: bool = True
    startup_wait: float = 60.0  # seconds to wait for a stream whose service has not started
    after_commit: Callable[[list[str]], None] | None = None  # observer (metrics, tests)
    _handlers: dict[str, Handler] = field(default_factory=dict, init=False)
    _batch_types: set[str] = field(default_factory=set, init=False)
    _filters: dict[str, list[str]] = field(default_factory=dict, init=False)
    _engine: Engine | None = field(default=None, init=False)
    _queues: dict[str, asyncio.Queue[list[Delivery]]] = field(default_factory=dict, init=False)
    _workers: list[asyncio.Task[None]] = field(default_factory=list, init=False)

    def handles(
        self, model: type[DataT], *, aggregate_type: str = "*"
    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
        """Register ``handler(event: Received[model], conn)`` for one event type (of one kind
        of aggregate only, if ``aggregate_type`` is given: its subject filter is narrower)."""
        return self._registrar(model, aggregate_type, batch=False)

    def handles_batch(
        self, model: type[DataT], *, aggregate_type: str = "*"
    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
        """Register ``handler(events: list[Received[model]], conn)``: each run of consecutive
        events of the type in a fetched batch in one call (one ``executemany``, not one round
        trip per event); same transaction, same once-only bookkeeping."""
        return self._registrar(model, aggregate_type, batch=True)

    def _registrar(
        self, model: type[DataT], aggregate_type: str, *, batch: bool
    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
        context = self._context_of(model.event_type)
        subject = aggregate_subjects(context, aggregate_type, "*").rsplit(".", 1)[0]

        def register(handler: Callable[..., None]) -> Callable[..., None]:
            if model.event_type in self._handlers:
                raise ValueError(f"{model.event_type} already has a handler in {self.name}")
            self._handlers[model.event_type] = handler
            if batch:
                self._batch_types.add(model.event_type)
            self._add_filter(context, f"{subject}.{model.event_type}")
            return handler

        return register

    def watch(self, context: str, subject: str) -> None:
        """Widen a stream's filter (``ccc.registry.certificate.>``); unhandled types are skipped."""
        if context not in PUBLISHERS:
            raise ValueError(f"no stream publishes context {context!r}")
        self._add_filter(context, subject)

    @property
    def engine(self) -> Engine:
        """The subscriber's own database (its effects and the handled ids live there)."""
        if self._engine is None:
            url = self.database_url
            self._engine = url if isinstance(url, Engine) else create_engine(url)
            handled_metadata.create_all(self._engine)
        return self._engine

    def filters(self) -> dict[str, list[str]]:
        """Stream name -> the subjects its consumer is filtered to.

        A filter covered by a wider one is left out: nats-server refuses a consumer one of whose
        filters covers another (filters that only partly overlap are accepted)."""
        return {
            stream_name(context): [
                subject
                for subject in subjects
                if not any(other != subject and _covers(other, subject) for other in subjects)
            ]
            for context, subjects in self._filters.items()
        }

    def broker(self, url: str | Sequence[str], *, user: str = "", password: str = "") -> NatsBroker:
        """A FastStream broker carrying one batch pull consumer per stream this subscriber needs."""
        if not self._handlers:
            raise ValueError(f"{self.name} handles no event type: declare a handler first")
        broker = NatsBroker(
            url,
            inbox_prefix=f"_INBOX_{self.name}",
            apply_types=False,
            logger=log,
            log_level=logging.DEBUG,  # FastStream's per-batch lines; the kit logs what matters
            security=NatsUserPassword(user, password) if user else None,
        )
        for stream, subjects in self.filters().items():
            self._register(broker, stream, subjects)
        return broker

    def app(self, url: str | Sequence[str], *, user: str = "", password: str = "") -> FastStream:
        """The FastStream application (``faststream run``; ``faststream docs gen`` for AsyncAPI)."""
        app = FastStream(
            self.broker(url, user=user, password=password),
            specification=self.asyncapi_factory(),
        )
        app.after_startup(lambda: quiet_empty_fetches(app.broker))
        app.after_shutdown(self.stop_workers)
        return app

    def asyncapi_factory(self) -> AsyncAPI:
        """AsyncAPI 3.0 of this subscriber (its consumers, subjects and event models)."""
        return AsyncAPI(
            title=f"{self.name}: a CCC Supervision subscriber",
            description="Events of the bureau's services this system handles, each once.",
        )

    def asyncapi(self, url: str = "nats://127.0.0.1:4222") -> dict[str, Any]:
        """This subscriber's AsyncAPI 3.0 document as a dict (generated by FastStream)."""
        document: dict[str, Any] = json.loads(self._specification(url).to_json())
        return document

    def _specification(self, url: str) -> Any:
        spec = self.asyncapi_factory()
        spec.add_broker(self.broker(url))
        return spec.to_specification()

    @asynccontextmanager
    async def running(
        self, url: str | Sequence[str], *, user: str = "", password: str = ""
    ) -> AsyncIterator[NatsBroker]:
        """Run the consumers until the block ends (what ``faststream run`` does for ``app``)."""
        await asyncio.to_thread(lambda: self.engine)  # tables exist before the first batch
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.startup_wait
        while True:
            broker = self.broker(url, user=user, password=password)
            try:
                await broker.start()
                quiet_empty_fetches(broker)
                break
            except NotFoundError as error:  # a service that has not published yet
                await broker.stop()
                if loop.time() > deadline:
                    raise
                log.warning("stream not there yet, waiting: %s", error.description)
                await asyncio.sleep(1.0)
        try:
            yield broker
        finally:
            await broker.stop()
            await self.stop_workers()

    async def serve(self, url: str | Sequence[str], *, user: str = "", password: str = "") -> None:
        """Run the consumers until SIGINT or SIGTERM (a deployed subscriber's main loop)."""
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        async with self.running(url, user=user, password=password):
            await stop.wait()

    def handled_count(self) -> int:
        """How many events this subscriber has handled (its rows in ``ccc_handled_events``)."""
        query = select(func.count()).where(handled_events.c.subscriber == self.name)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # -- wiring ---------------------------------------------------------------------------
    def _context_of(self, event_type: str) -> str:
        for context, published in PUBLISHERS.items():
            if published.knows(event_type):
                return str(context)
        raise ValueError(f"no service publishes {event_type}")

    def _add_filter(self, context: str, subject: str) -> None:
        subjects = self._filters.setdefault(context, [])
        if subject not in subjects:
            subjects.append(subject)

    def _register(self, broker: NatsBroker, stream: str, subjects: list[str]) -> None:
        config = ConsumerConfig(
            durable_name=self.name,
            filter_subjects=subjects,
            ack_policy=ServerAckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait,
            # the kit terminates after max_deliver itself; the server keeps one more in hand
            max_deliver=self.max_deliver + 1,
            max_ack_pending=max(1000, self.batch_size * 4),
        )
        handled_types = sorted(
            t for t in self._handlers if self._context_of(t) == _context_of_stream(stream)
        )

        async def consume(body: Any) -> None:
            await self._consume(stream, broker)

        consume.__doc__ = f"Handles {', '.join(handled_types)} from {stream}, each once."
        # what AsyncAPI shows as the payload: a batch of envelopes of the handled types
        models = tuple(self.contracts.model(event_type) for event_type in handled_types)
        payload: Any = Union[models] if len(models) > 1 else models[0]  # noqa: UP007
        envelope = create_model(
            f"{stream.title().replace('_', '')}Event", __base__=WireEnvelope, data=(payload, ...)
        )
        consume.__annotations__ = {"body": list[envelope], "return": None}
        broker.subscriber(
            "",
            stream=JStream(stream, declare=False),
            durable=self.name,
            config=config,
            pull_sub=PullSub(batch_size=self.batch_size, timeout=self.batch_timeout, batch=True),
            ack_policy=AckPolicy.MANUAL,
            inbox_prefix=f"_INBOX_{self.name}.".encode(),
            title=f"{self.name}/{stream}",
            description=consume.__doc__,
        )(consume)

    # -- handling -------------------------------------------------------------------------
    async def _consume(self, stream: str, broker: NatsBroker) -> None:
        """Decode a fetched batch and queue it for the stream's worker.

        The worker commits and acks one batch while the next is fetched and decoded (one batch
        waits at most, so at most two are in hand); batches are applied in fetch order.
        """
        message = broker.context.get_local("message")
        raw: list[Msg] = list(message.raw_message)
        deliveries = [self._decode(stream, msg) for msg in raw]
        queue = self._queues.get(stream)
        if queue is None:
            queue = self._queues[stream] = asyncio.Queue(maxsize=1)
            self._workers.append(asyncio.create_task(self._work(queue)))
        await queue.put(deliveries)

    async def _work(self, queue: asyncio.Queue[list[Delivery]]) -> None:
        while True:
            deliveries = await queue.get()
            await asyncio.to_thread(self._apply, deliveries)
            for delivery in deliveries:
                await self._settle(delivery)

    async def stop_workers(self) -> None:
        """Stop applying batches (those not committed yet come back to the next run)."""
        workers, self._workers, self._queues = self._workers, [], {}
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    def _decode(self, stream: str, msg: Msg) -> Delivery:
        meta = msg.metadata
        delivery = Delivery(msg, stream, meta.sequence.stream, meta.num_delivered)
        if self._decode_typed(delivery, msg.subject.rpartition(".")[2]):
            return delivery
        try:
            wire = WireEnvelope.model_validate_json(msg.data)
        except ValidationError as error:
            return _refuse(delivery, Outcome.TERM, f"not an event envelope: {error.errors()[:1]}")
        handler = self._handlers.get(wire.event_type)
        if handler is None or not self.contracts.knows(wire.event_type):
            return _refuse(delivery, Outcome.ACK, f"{wire.event_type} is not handled here")
        if self.check_hashes and not wire.hash_is_intact():
            return _refuse(delivery, Outcome.TERM, f"event {wire.event_id}: hash does not match")
        try:
            delivery.event = RecordedEvent.from_wire(wire, self.contracts)
        except (UnknownEventTypeError, LookupError, ValidationError) as error:
            # a newer version than this package knows: upgrade ccc-contracts, it comes back
            return _refuse(delivery, Outcome.RETRY, f"cannot read {wire.event_type}: {error}")
        delivery.handler = handler
        return delivery

    def _decode_typed(self, delivery: Delivery, event_type: str) -> bool:
        """The common case in one validation: the newest version of a handled type, intact.
        Anything else (or any doubt) is left to the general path above, which decides."""
        if event_type not in self._handlers or not self.contracts.knows(event_type):
            return False
        model = self.contracts.model(event_type)
        try:
            wire = typed_envelope(model).model_validate_json(delivery.message.data)
        except ValidationError:
            return False
        if wire.event_type != event_type or wire.schema_version != model.schema_version:
            return False
        if self.check_hashes and not wire.hash_is_intact():
            return False
        delivery.event = RecordedEvent.from_typed(wire, cast(EventData, wire.data))
        delivery.handler = self._handlers[event_type]
        return True

    async def _settle(self, delivery: Delivery) -> None:
        msg = delivery.message
        if delivery.outcome is Outcome.ACK:
            if delivery.reason and delivery.event is None:
                log.info("skipped %s: %s", delivery.sequence, delivery.reason)
            await msg.ack()
        elif delivery.outcome is Outcome.RETRY and delivery.attempt < self.max_deliver:
            delays = self.retry_delays or (0.0,)
            await msg.nak(delay=delays[min(delivery.attempt, len(delays)) - 1])
        else:
            log.error(
                "gave up on %s sequence %s after %s deliveries: %s",
                delivery.stream,
                delivery.sequence,
                delivery.attempt,
                delivery.reason,
            )
            await msg.term()


def _refuse(delivery: Delivery, outcome: Outcome, reason: str) -> Delivery:
    delivery.outcome, delivery.reason = outcome, reason
    return delivery


def quiet_empty_fetches(broker: Any) -> None:
    """Have an empty fetch end FastStream's batch wait quietly.

    nats-py 2.16 raises ``asyncio.TimeoutError`` when a fetch gets nothing, and FastStream 0.7.8's
    batch loop catches only ``nats.errors.TimeoutError`` (its subclass): every idle
    ``batch_timeout`` its supervisor logged a traceback and restarted the loop.
    """
    for endpoint in broker.subscribers:
        subscription = getattr(endpoint, "subscription", None)
        if subscription is None or getattr(subscription.fetch, "quiet", False):
            continue
        fetch = subscription.fetch

        async def translated(*args: Any, _fetch: Any = fetch, **kwargs: Any) -> Any:
            try:
                return await _fetch(*args, **kwargs)
            except NatsTimeoutError:
                raise
            except TimeoutError as error:
                raise NatsTimeoutError from error

        translated.quiet = True  # type: ignore[attr-defined]
        subscription.fetch = translated


def asyncapi_yaml(subscriber: Subscriber, url: str = "nats://127.0.0.1:4222") -> str:
    """The subscriber's AsyncAPI document as YAML (needs pyyaml)."""
    return str(subscriber._specification(url).to_yaml())


def _covers(wide: str, narrow: str) -> bool:
    """Whether every subject ``narrow`` matches is matched by ``wide`` (NATS wildcards); the
    server refuses a consumer whose filters overlap, so a covered filter is left out."""
    wide_tokens, narrow_tokens = wide.split("."), narrow.split(".")
    for index, token in enumerate(wide_tokens):
        if token == ">":
            return len(narrow_tokens) > index
        if index >= len(narrow_tokens):
            return False
        if token != "*" and (token != narrow_tokens[index] or narrow_tokens[index] in "*>"):
            return False
        if token == "*" and narrow_tokens[index] == ">":
            return False
    return len(wide_tokens) == len(narrow_tokens)


def _context_of_stream(stream: str) -> str:
    return next(str(context) for context in PUBLISHERS if stream_name(context) == stream)
