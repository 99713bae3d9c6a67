"""The outbox relay: publishes a store's committed events to its JetStream stream, in commit order.

Written on nats-py directly (not FastStream): the relay needs pipelined publishes with exact
control of which acks arrived, so that only the acknowledged prefix of a batch is marked
published; FastStream's publisher hides the futures. The acks are read by ``acks.AckInbox``
rather than ``publish_async``, whose future never resolves when the server refuses a message.

Guarantees:
- every committed event is published (the outbox row is deleted only after the server acked);
- in commit order, with no gaps: each publish names the event before it in
  ``Nats-Expected-Last-Msg-Id`` (see ``stream_tail``), so the server refuses (10070) whatever
  does not follow the stream's last message. A message lost mid-batch (written into a dying
  socket, while nats-py replays the rest after a reconnect) makes every later one of the batch
  refused, never stored ahead of it. Only the acked prefix of a batch is marked; after any
  failure the relay re-syncs with the stream's tail and resumes at the first unmarked event;
- at most once in the stream: the message id is the event id, and the server's duplicate check
  comes before the chain check, so a re-send inside the duplicate window is acked as a
  duplicate. The re-sync marks the pending events found at the stream's tail instead of
  re-sending them, which covers a crash between publish and mark that outlived the window
  (at most one batch is published and unmarked at a time: don't lower ``batch_size`` below
  that between a crash and the restart).
Only the relay publishes to its stream. Another publisher (or a second relay on one outbox)
makes the next chained publish refused: the relay logs it, re-syncs and goes on. If the
server's last id stays out of step with the stored tail (a deleted tail message), the first
publish after ``UNCHAINED_AFTER`` refused re-syncs goes unchained, so the relay never loops.

Batch size 1024 by measurement (bench/relay.py, 2 cores): 256 -> 1024 -> 2048 -> 4096 gave
11.9k / 12.5k / 13.5k / 12.4k events/s (medians of 5, +-20% noise between runs); 1024 keeps a
batch (~1 KB bodies) inside nats-py's 2 MB pending buffer. Reading the next batch in a thread
while the acks came in was tried and measured slower (CPU per event 67 -> 91 us): everything
here is GIL-bound Python, and the read had to fetch two batches (``outbox_batch`` has no
"after position").
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence

import structlog
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import PubAck, StreamConfig

from ccc_shared.eventstore.sql import OutboxMessage, SqlEventStore
from ccc_shared.messaging.acks import AckInbox
from ccc_shared.messaging.stream_tail import (
    EXPECTED_LAST_MSG_ID,
    MSG_ID,
    is_wrong_last_msg_id,
    read_tail,
)
from ccc_shared.messaging.streams import ensure_stream

log = structlog.get_logger("ccc.messaging.relay")

UNCHAINED_AFTER = 3  # refused re-syncs in a row before a pass starts without the chain header
DEFAULT_BACKOFF = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


class RelayPublishError(RuntimeError):
    """A batch was only partly acknowledged; the rest stays in the outbox for the next try."""


class OutboxRelay:
    """Moves events from a store's outbox to JetStream; ``run()`` until ``stop()``."""

    def __init__(
        self,
        store: SqlEventStore,
        bus: JetStreamContext | NatsClient,
        stream: StreamConfig | str,
        *,
        batch_size: int = 1024,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
        poll_interval: float = 0.5,
        ack_timeout: float = 5.0,
    ) -> None:
        if isinstance(bus, NatsClient):
            self._nc: NatsClient = bus
            self._js = bus.jetstream()
        else:
            self._js = bus
            self._nc = bus._nc
        self._acks = AckInbox(self._nc)  # publish_async never resolves a refusal (see acks)
        self.store = store
        self._config = stream if isinstance(stream, StreamConfig) else None
        self.stream = stream if isinstance(stream, str) else str(stream.name)
        self.batch_size = batch_size
        self.backoff = tuple(backoff) or DEFAULT_BACKOFF
        self.poll_interval = poll_interval
        self.ack_timeout = ack_timeout
        self.published = 0  # events acknowledged by the stream since start
        self.failures = 0  # failed passes since start
        self.refused = 0  # publishes the stream refused for not following its last message
        self.last_success = time.monotonic()  # the last pass that left nothing it could send
        self.last_error = ""
        self.on_batch: Callable[[int, float], None] | None = None  # (acked, seconds): metrics
        self._stream_ready = False
        self._previous: str | None = None  # id the next publish must follow; None: re-sync
        self._last_acked: str | None = None  # the last event the stream acked to this relay
        self._after_sync = False  # the next batch is the first since a re-sync
        self._refused_in_a_row = 0  # re-synced passes refused at their first publish
        self._wake = asyncio.Event()
        self._stopping = False
        self._running: asyncio.Future[None] | None = None
        self._listening = False

    # -- one pass --------------------------------------------------------------------------
    async def publish_pending(self) -> int:
        """Publish everything in the outbox now; return how many events the stream acked."""
        if not self._stream_ready:
            if self._config is not None:
                await ensure_stream(self._js, self._config)
            self._stream_ready = True
        total = 0
        try:
            if self._previous is None:
                await self.reconcile()
            while not self._stopping:
                self._wake.clear()
                batch = await asyncio.to_thread(self.store.outbox_batch, self.batch_size)
                if not batch:
                    break
                total += await self._publish_batch(batch)
                if len(batch) < self.batch_size:
                    break
        except BaseException:
            self._previous = None  # whatever happened, re-sync with the stream before going on
            raise
        return total

    async def _publish_batch(self, batch: list[OutboxMessage]) -> int:
        """Publish one batch pipelined and chained, mark the acked prefix, raise unless all was."""
        if not self._nc.is_connected:
            raise RelayPublishError("NATS is not connected")
        previous = self._previous or ""
        started = time.monotonic()
        after_sync, self._after_sync = self._after_sync, False
        if after_sync and self._refused_in_a_row >= UNCHAINED_AFTER:
            log.error(
                "stream keeps refusing the chain after re-syncs: publishing one unchained",
                stream=self.stream,
                expected=previous,
                refused_in_a_row=self._refused_in_a_row,
            )
            previous = ""
        futures: list[asyncio.Future[PubAck]] = []
        send_error: BaseException | None = None
        for message in batch:
            try:
                futures.append(await self._send(message, previous))
            except Exception as error:  # connection lost, buffer full: stop sending here
                send_error = error
                break
            previous = message.event_id
        if futures:  # a refusal means nothing after it can be stored: stop waiting there
            await asyncio.wait(
                futures, timeout=self.ack_timeout, return_when=asyncio.FIRST_EXCEPTION
            )
        acked = 0
        failure: BaseException | str | None = None
        for future in futures:
            if not future.done():
                failure = f"no ack within {self.ack_timeout}s"
                break
            if future.cancelled() or future.exception() is not None:
                failure = future.exception() or "cancelled"
                break
            acked += 1
        refused = sum(
            1
            for f in futures
            if f.done() and not f.cancelled() and is_wrong_last_msg_id(f.exception())
        )
        self._acks.forget()  # what had no answer yet will be re-sent (or found by the re-sync)
        if acked:
            self._refused_in_a_row = 0
            if self.on_batch is not None:
                self.on_batch(acked, time.monotonic() - started)
            await self._mark_published([message.position for message in batch[:acked]])
            self.published += acked
            self._previous = self._last_acked = batch[acked - 1].event_id
        if failure is None and send_error is not None:
            failure = send_error
        if failure is None:
            return acked
        self.refused += refused
        message = batch[acked]
        if is_wrong_last_msg_id(failure if isinstance(failure, BaseException) else None):
            if after_sync and not acked:
                self._refused_in_a_row += 1
            log.warning(
                "stream refused an event that did not follow its last message: re-syncing",
                stream=self.stream,
                event_id=message.event_id,
                expected=self._previous or "",
                reason=str(failure),
                acked=acked,
                refused=refused,
                batch=len(batch),
            )
        else:
            log.warning(
                "outbox publish failed",
                event_id=message.event_id,
                subject=message.subject,
                position=message.position,
                reason=repr(failure) if isinstance(failure, BaseException) else failure,
                acked=acked,
                batch=len(batch),
            )
        raise RelayPublishError(f"event {message.event_id} not acknowledged: {failure!r}")

    async def _send(self, message: OutboxMessage, previous: str) -> asyncio.Future[PubAck]:
        """Publish one event that must follow ``previous`` in the stream ("": whatever is last)."""
        headers = {MSG_ID: message.event_id}
        if previous:
            headers[EXPECTED_LAST_MSG_ID] = previous
        return await self._acks.publish(message.subject, message.body, headers, self.stream)

    async def _mark_published(self, positions: list[int]) -> None:
        """Record that these events are in the stream (drop them from the outbox)."""
        await asyncio.to_thread(self.store.mark_published, positions)

    async def reconcile(self) -> int:
        """Re-sync with the stream: mark pending events found at its tail, learn its last id."""
        pending = await asyncio.to_thread(self.store.outbox_batch, self.batch_size)
        waiting = {message.event_id: message.position for message in pending}
        tail = await read_tail(self._js, self.stream, waiting, self.batch_size)
        if tail.found:
            await self._mark_published(tail.found)
            log.info("outbox reconciled with stream", stream=self.stream, marked=len(tail.found))
            self._last_acked = tail.msg_id
        elif tail.sequence and (
            not tail.msg_id or self._last_acked not in (None, tail.msg_id)
        ):  # someone else published (only the relay should): its message is now the link
            log.warning(
                "the stream's last message was not published by this relay",
                stream=self.stream,
                sequence=tail.sequence,
                subject=tail.subject,
                msg_id=tail.msg_id,
                relay_last=self._last_acked,
            )
        self._previous = tail.msg_id
        self._after_sync = True
        return len(tail.found)

    # -- the loop --------------------------------------------------------------------------
    async def run(self) -> None:
        """Publish until ``stop()``: wake on local commits, poll for other writers, back off."""
        loop = asyncio.get_running_loop()
        self._running = loop.create_future()
        self._stopping = False
        if not self._listening:
            self.store.on_commit(lambda: self._wake_from_thread(loop))
            self._listening = True
        attempt = 0
        try:
            while not self._stopping:
                try:
                    await self.publish_pending()
                    self.last_success, self.last_error = time.monotonic(), ""
                except Exception as error:
                    self.failures += 1
                    self.last_error = repr(error)
                    delay = self.backoff[min(attempt, len(self.backoff) - 1)]
                    attempt += 1
                    log.warning("outbox relay retrying", error=repr(error), retry_in=delay)
                    await self._pause(delay)
                    continue
                attempt = 0
                await self._pause(self.poll_interval)
        finally:
            self._running.set_result(None)
            self._running = None

    async def stop(self) -> None:
        """Ask the loop to exit after its in-flight batch, and wait until it has."""
        self._stopping = True
        self._wake.set()
        running = self._running
        if running is not None:
            await asyncio.shield(running)
        await self._acks.close()

    async def _pause(self, seconds: float) -> None:
        """Sleep until woken (a local commit, ``stop()``) or ``seconds`` have passed."""
        if self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _wake_from_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to wake
            loop.call_soon_threadsafe(self._wake.set)
