"""Dead letters an operator can handle, on a secured bus: listed, re-driven once, counted."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, select

from ccc_contracts.envelope import RecordedEvent, StreamId
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import DEADLETTER_STREAM
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.kernel import ServiceKernel, Subscription
from ccc_shared.runtime.metrics import ServiceMetrics
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.testing.harness import eventually
from ccc_shared.testing.sample_events import SampleRecorded, inspector, sample_registry

sys.path.insert(0, str(Path(__file__).parent))

from test_audit_support import run_cli

pytestmark = pytest.mark.integration
POISON = "needs the new contract"  # the note the consumer cannot handle until it is fixed
handled_table = Table("handled", MetaData(), Column("event_id", String(36), primary_key=True))


class Consumer:
    """A handler that fails on the poison note until the operator has fixed the cause."""

    def __init__(self) -> None:
        self.fixed = False

    def handle(self, event: RecordedEvent, conn: Connection) -> None:
        if getattr(event.data, "note", None) == POISON and not self.fixed:
            raise RuntimeError(POISON)
        conn.execute(handled_table.insert().values(event_id=event.event_id))


def kernel(server: EmbeddedNats, tmp_path: Path, context: str, **options: object) -> ServiceKernel:
    user, password = server.credentials(context)
    settings = ServiceSettings(
        service_name=context, nats_url=server.url, data_dir=tmp_path / context,
        nats_user=user, nats_password=password,
    )  # fmt: skip
    return ServiceKernel(
        settings, context=context, registry=sample_registry, published=sample_registry,
        consumed=sample_registry, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def append(store: SqlEventStore, aggregate: str, note: str) -> RecordedEvent:
    stream = StreamId("probe", aggregate)
    data = SampleRecorded(writer="w", sequence=0, note=note)
    return store.append(stream, [data], store.stream_version(stream), inspector())[0]


def handled(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(handled_table.c.event_id)).scalars())


@pytest.fixture
async def running(
    secure_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[tuple[ServiceKernel, ServiceKernel, Consumer]]:
    consumer = Consumer()
    subscription = Subscription(
        name="inspection-registry", context="registry", subjects=["ccc.registry.>"],
        handler=consumer.handle, max_deliver=1,
    )  # fmt: skip
    registry = kernel(secure_nats, tmp_path, "registry")
    inspection = kernel(secure_nats, tmp_path, "inspection", subscriptions=[subscription],
                        migrations=[handled_table.metadata.create_all])  # fmt: skip
    await registry.start()
    await inspection.start()
    yield registry, inspection, consumer
    await inspection.stop()
    await registry.stop()


async def counted(inspection: ServiceKernel, name: str) -> float:
    text = (await ServiceMetrics(inspection).render()).decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                return float(sample.value)
    return -1.0


async def test_a_dead_letter_is_listed_then_re_driven_once_after_the_fix(
    running: tuple[ServiceKernel, ServiceKernel, Consumer], secure_nats: EmbeddedNats,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    registry, inspection, consumer = running
    good = [append(registry.store, "e-1", "巡查"), append(registry.store, "e-1", "巡查")]
    poison = append(registry.store, "e-2", POISON)
    runner = inspection.runners[0]
    await eventually(lambda: runner.metrics.dead_lettered == 1 and runner.metrics.processed == 2)
    assert await counted(inspection, "ccc_deadletters") == 1.0

    user, password = secure_nats.credentials("operator")
    login = ["--nats", secure_nats.url, "--nats-user", user, "--nats-password", password]

    async def letters() -> list[dict[str, object]]:
        status, out, err = await run_cli(capsys, "deadletters", "list", "--format", "json",
                                         *login)  # fmt: skip
        assert status == 0, err
        start = f"\n{out}".index("\n[\n")  # the service's own log lines share stdout
        listed: list[dict[str, object]] = json.JSONDecoder().raw_decode(out[start:])[0]
        return listed

    assert await letters() == [{
        "sequence": 1, "service": "inspection", "consumer": "inspection-registry",
        "cause": f"handler failed 1 times: RuntimeError: {POISON}",
        "subject": "ccc.registry.probe.e-2.SampleRecorded", "original_stream": "CCC_REGISTRY",
        "original_sequence": 3, "deliveries": 1, "redriven": [],
    }]  # fmt: skip

    # re-driven before the cause is fixed: it fails again, and a new letter says so
    status, _, err = await run_cli(
        capsys, "deadletters", "redrive", "--sequence", "1", "--by", "王芳", *login
    )
    assert status == 0, err

    async def failed_again() -> list[dict[str, object]] | None:
        listed = await letters()
        return listed if len(listed) == 2 else None

    listed = await eventually(failed_again)
    assert listed[1]["sequence"] == 3
    assert listed[1]["cause"] == f"re-drive of letter 1 failed again: RuntimeError: {POISON}"
    assert listed[1]["original_sequence"] == 3
    assert sorted(handled(inspection.store.engine)) == sorted([e.event_id for e in good])

    consumer.fixed = True  # the cause is fixed; the operator re-drives the letter, twice over
    for _ in range(2):
        status, out, err = await run_cli(
            capsys, "deadletters", "redrive", "--sequence", "1", "--by", "王芳", *login
        )
        assert status == 0, err
        assert "\nletter 1: re-drive asked of inspection-registry by 王芳 at " in f"\n{out}"
    assert inspection.nc is not None
    js = inspection.nc.jetstream()

    async def both_requests_settled() -> bool:
        info = await js.consumer_info(DEADLETTER_STREAM, "inspection-redrive")
        return info.delivered.consumer_seq == 3 and info.num_ack_pending == 0

    await eventually(both_requests_settled)
    assert sorted(handled(inspection.store.engine)) == sorted(
        [good[0].event_id, good[1].event_id, poison.event_id]
    ), "the poison event handled exactly once"
    assert inspection.redrive is not None
    assert inspection.redrive.redriven == 1
    assert await counted(inspection, "ccc_redriven_total") == 1.0

    status, out, err = await run_cli(capsys, "deadletters", "list", "--cause", "RuntimeError",
                                     *login)  # fmt: skip
    assert status == 0, err
    row = next(line for line in out.splitlines() if line.startswith("1  "))  # logs aside
    assert row.startswith("1    inspection  inspection-registry  handler failed 1 times")
    assert row.count("王芳 ") == 3, "every request recorded, with who and when"
    # only the operator re-drives: the read-only user is refused
    outside, outside_password = secure_nats.credentials("outside")
    status, _, err = await run_cli(
        capsys, "deadletters", "redrive", "--sequence", "1", "--by", "x",
        "--nats", secure_nats.url, "--nats-user", outside, "--nats-password", outside_password,
    )  # fmt: skip
    assert status == 2
    assert "only the bus user 'operator' may read and re-drive dead letters" in err
