"""Subscriber kit bench: ccc_contracts.subscriber into a PostgreSQL table vs raw fetch + ack.

20k certificate suspensions (real contract events with their hashes, from a real event store)
are published once (not timed) on CCC_REGISTRY, on a nats-server of our own. Each repetition,
each side reads all of them through a fresh durable pull consumer. The raw side (nats-py) only
fetches 256 at a time and acks. The kit validates each envelope, checks its hash, decodes the
typed payload, and per batch of 256, in one PostgreSQL transaction, skips ids handled before,
runs the handler (one upsert per event into a fresh database's table) and records the ids;
then acks.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from datetime import date

from nats.js import JetStreamContext
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert

from bench.bus import MESSAGES, private_nats, publish_pipelined
from bench.common import REPEATS, Row, median_rate, postgres_url, scratch_postgres
from bench.runner import FETCH, raw_consume
from ccc_contracts import all_contracts
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_contracts.registry import CertificateSuspended
from ccc_contracts.subscriber import Received, Subscriber
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging.streams import event_stream

TARGET = 0.5
# one PostgreSQL round trip per event (~0.25 ms) bounds any consumer near 4k/s on one connection
PER_EVENT_TARGET = 0.1
CERTIFICATES, PER_CERTIFICATE = 200, 100
STREAM = "CCC_REGISTRY"

table = MetaData()
suspensions = Table(
    "suspensions",
    table,
    Column("certificate_number", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)
_upsert = insert(suspensions)
UPSERT = _upsert.on_conflict_do_update(
    index_elements=[suspensions.c.certificate_number], set_={"count": suspensions.c.count + 1}
)


def suspension(number: str) -> CertificateSuspended:
    return CertificateSuspended(
        certificate_number=number, holder_credit_code="91330100MA00050076",
        product_category="1812", certification_body="CCCF", article="Order 117 art 27",
        effective_on=date(2026, 11, 27), reason_code="follow_up_refused_or_failed",
        reason="认证机构跟踪检查时企业拒绝接受检查，依规暂停证书。",
    )  # fmt: skip


async def publish_all(js: JetStreamContext, folder: str) -> None:
    """Append the suspensions to a real store and publish its outbox once (not timed)."""
    store = SqlEventStore(
        f"sqlite:///{folder}/registry.db", registry=all_contracts(), source="bench",
        context="registry",
    )  # fmt: skip
    store.migrate()
    meta = EventMetadata(actor=Actor(id="registrar-7", role="admin"))
    try:
        for index in range(CERTIFICATES):
            number = f"20260109{index:08d}"
            events = [suspension(number)] * PER_CERTIFICATE
            store.append(StreamId("certificate", number), events, 0, meta)
        await js.add_stream(event_stream("registry"))
        await publish_pipelined(js, STREAM, store.outbox_batch(MESSAGES))
    finally:
        store.close()


async def kit_consume(url: str, database: str, name: str, *, batch: bool) -> int:
    """Ours: a fresh subscriber on a fresh database, until every event is handled.

    ``batch``: the handler takes each run of events at once (one ``executemany`` of upserts);
    else one upsert per event, a PostgreSQL round trip each."""
    done, handled = threading.Event(), [0]

    def count(ids: list[str]) -> None:
        handled[0] += len(ids)
        if handled[0] >= MESSAGES:
            done.set()

    subscriber = Subscriber(
        name, database_url=postgres_url(database), batch_size=FETCH, batch_timeout=0.05,
        after_commit=count,
    )  # fmt: skip
    table.create_all(subscriber.engine)

    if batch:

        @subscriber.handles_batch(CertificateSuspended)
        def suspended_many(events: list[Received[CertificateSuspended]], conn: Connection) -> None:
            rows = [{"certificate_number": e.data.certificate_number, "count": 1} for e in events]
            conn.execute(UPSERT, rows)
    else:

        @subscriber.handles(CertificateSuspended)
        def suspended(event: Received[CertificateSuspended], conn: Connection) -> None:
            conn.execute(UPSERT, {"certificate_number": event.data.certificate_number, "count": 1})

    async with subscriber.running(url):
        if not await asyncio.to_thread(done.wait, 300):
            raise RuntimeError(f"the kit handled {handled[0]} of {MESSAGES} in 300 s")
    with subscriber.engine.connect() as conn:
        total = int(conn.execute(select(func.sum(suspensions.c.count))).scalar_one())
    subscriber.engine.dispose()
    assert total == MESSAGES, total
    return handled[0]


async def bench() -> tuple[list[float], list[float], list[float]]:
    ours: list[float] = []
    per_event: list[float] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ccc-bench-subscriber-") as folder:
        async with private_nats() as (client, js):
            await publish_all(js, folder)
            url = client.connected_url
            assert url is not None
            for rep in range(REPEATS):
                started = time.perf_counter()
                count = await raw_consume(js, f"raw{rep}", stream=STREAM, context="registry")
                baseline.append(count / (time.perf_counter() - started))
                for batch, rates in ((True, ours), (False, per_event)):
                    with scratch_postgres("ccc_bench_subscriber") as database:
                        started = time.perf_counter()
                        name = f"kit{rep}{'batch' if batch else 'each'}"
                        count = await kit_consume(url.geturl(), database, name, batch=batch)
                        rates.append(count / (time.perf_counter() - started))
    return ours, per_event, baseline


def run() -> list[Row]:
    """Two rows: the kit into PostgreSQL (batch handler; one upsert per event) vs fetch + ack."""
    ours, per_event, baseline = asyncio.run(bench())
    what = f"vs fetch({FETCH})+ack ({MESSAGES // 1000}k msgs)"
    return [
        Row(f"subscriber kit, batch handler -> PostgreSQL {what}", median_rate(ours),
            median_rate(baseline), TARGET),
        Row(f"subscriber kit, a round trip per event -> PostgreSQL {what}",
            median_rate(per_event), median_rate(baseline), PER_EVENT_TARGET),
    ]  # fmt: skip


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.common import print_table

    print_table(run())
