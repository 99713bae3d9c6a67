"""Start-up that waits: a kernel whose bus comes late starts once it is there; one that never
comes stops the start with the step named, after ``startup_wait_seconds``."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import structlog
from messaging_support import append_events, create_projection, projection_handler, read_projection

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.kernel import ServiceKernel, StartupError, Subscription
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.testing.harness import eventually
from ccc_shared.testing.sample_events import sample_registry

pytestmark = pytest.mark.integration


def kernel(url: str, tmp_path: Path, context: str, wait: float, **options: object) -> ServiceKernel:
    settings = ServiceSettings(
        service_name=context, nats_url=url, data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / context}.db", startup_wait_seconds=wait,
    )  # fmt: skip
    return ServiceKernel(
        settings, context=context, registry=sample_registry, published=sample_registry,
        consumed=sample_registry, **options,  # type: ignore[arg-type]
    )  # fmt: skip


async def test_a_kernel_waits_for_a_bus_that_comes_late_then_works(
    embedded_nats: EmbeddedNats, tmp_path: Path
) -> None:
    url = embedded_nats.url
    embedded_nats.stop()  # the bus is away when the services start (its port stays pinned)
    producer = kernel(url, tmp_path, "late", wait=60)
    subscription = Subscription(
        name="reader-late", context="late", subjects=["ccc.late.>"], handler=projection_handler()
    )
    reader = kernel(url, tmp_path, "reader", wait=60, subscriptions=[subscription],
                    migrations=[create_projection])  # fmt: skip
    with structlog.testing.capture_logs() as logs:

        def waiting() -> int:
            return sum(1 for e in logs if e["event"] == "bus not ready, waiting")

        first = asyncio.ensure_future(producer.start())
        await eventually(waiting, 20)  # (one at a time: alembic migrations share globals)
        starting = asyncio.gather(first, reader.start())
        await eventually(lambda: waiting() >= 3, 20)
        assert not starting.done()
        embedded_nats.start()
        back = time.monotonic()
        await asyncio.wait_for(starting, 30)
    try:
        waited = [e for e in logs if e["event"] == "bus not ready, waiting"]
        assert waited[0]["step"] == "connect to NATS"
        assert time.monotonic() - back < 10, "started within seconds of the bus coming back"
        written = append_events(producer.store, "a-1", 3)
        await eventually(lambda: read_projection(reader.store.engine).get("a-1", (0,))[0] == 3)
        assert len(written) == 3
    finally:
        await reader.stop()
        await producer.stop()


async def test_a_bus_that_never_comes_stops_the_start_with_the_step_named(
    embedded_nats: EmbeddedNats, tmp_path: Path
) -> None:
    url = embedded_nats.url
    embedded_nats.stop()
    lonely = kernel(url, tmp_path, "lonely", wait=2)
    started = time.monotonic()
    with pytest.raises(StartupError, match=r"connect to NATS: the bus was not ready within 2 s"):
        await lonely.start()
    assert time.monotonic() - started < 10
    await lonely.stop()
