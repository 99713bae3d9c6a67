"""The registry app on a real store and a private nats-server, driven over ASGI in its lifespan."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from enterprise_registry.main import Settings

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from registry_support import Registry, running_registry  # noqa: E402


@pytest.fixture
async def registry(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Registry]:
    """The enterprise-registry app on a fresh database and a private nats-server, on 2 March 2026.

    Its clock is fixed: every command, the expiry sweep and outside events are dated 2026-03-02 in
    the bureau's zone, so the tests write their expected dates as literals.
    """
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    async with running_registry(settings, clock=lambda: date(2026, 3, 2)) as registry:
        yield registry
