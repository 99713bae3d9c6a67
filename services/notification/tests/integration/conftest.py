"""The notification app on a real store, a private nats-server, a real webhook receiver and
a real SMTP server, all on loopback."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from notification.main import Settings

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from notification_support import (  # noqa: E402
    MovableClock,
    NotificationService,
    SmtpSink,
    WebhookReceiver,
    running,
)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A webhook receiver on loopback."""
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """An SMTP server on loopback."""
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def clock() -> MovableClock:
    """The service's clock."""
    return MovableClock()


@pytest.fixture
def settings(database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path,
             smtp: SmtpSink) -> Settings:  # fmt: skip
    """Fast retries and rounds, so the tests take milliseconds per step; webhooks may reach the
    loopback receiver only because it is listed."""
    return Settings(
        database_url=database_url,
        nats_url=embedded_nats.url,
        data_dir=tmp_path,
        max_attempts=3,
        retry_first_delay_seconds=0.01,
        retry_backoff_factor=2.0,
        webhook_timeout_seconds=1.0,
        stale_attempt_seconds=0.5,
        dispatch_every_seconds=0.05,
        reminders_every_seconds=0.05,
        reminder_offsets_days=[3, 0, -1],
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        webhook_allowed_destinations=["127.0.0.1/32"],  # the loopback receiver, explicitly
    )


@pytest.fixture
async def service(
    settings: Settings, clock: MovableClock, embedded_nats: EmbeddedNats
) -> AsyncIterator[NotificationService]:
    """The notification service running."""
    async with running(settings, clock, embedded_nats.url) as running_service:
        yield running_service
