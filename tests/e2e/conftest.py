"""End-to-end fixtures: a private NATS server and the four services as OS processes.

Each test gets its own nats-server (own streams) and fresh stores, once with SQLite files and
once with PostgreSQL databases, so tests never see each other's events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.launcher import SERVICES
from ccc_shared.testing.servers import fresh_postgres_database
from ccc_shared.testing.system import System, running_system


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def system(
    request: pytest.FixtureRequest, embedded_nats: EmbeddedNats, tmp_path: Path
) -> Iterator[System]:
    """The whole system on a private NATS, on SQLite files or on PostgreSQL databases."""
    with ExitStack() as stack:
        urls: dict[str, str] = {}
        if request.param == "postgresql":
            admin: Engine = request.getfixturevalue("postgres_admin_engine")
            for spec in SERVICES:
                urls[spec.name] = stack.enter_context(fresh_postgres_database(admin))
        with running_system(embedded_nats.url, tmp_path / "var", urls) as running:
            yield running
