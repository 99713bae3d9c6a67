"""Real servers for tests: a fresh JetStream and fresh databases, never mocks, never skips.

NATS: ``NATS_URL`` when set, else a nats-server started from the wheel in a temporary folder
(fresh, isolated JetStream), else a testcontainers NATS when Docker answers.
PostgreSQL: ``TEST_POSTGRES_URL`` when set, else testcontainers when Docker answers, else the
local server at ``LOCAL_POSTGRES_URL``. A test that cannot get a server fails and says why.
Loaded as a pytest plugin by the root ``conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from ccc_shared.runtime.embedded_nats import EmbeddedNats, EmbeddedNatsError
from ccc_shared.runtime.nats_permissions import inbox_prefix
from ccc_shared.runtime.settings import sqlite_url

LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEST_DATABASE_PREFIX = "ccc_test_"
NATS_IMAGE = "nats:2.10"
POSTGRES_IMAGE = "postgres:16-alpine"


def docker_answers() -> bool:
    """Whether testcontainers is installed and a Docker engine responds to a ping."""
    try:
        import docker
        import testcontainers  # noqa: F401

        docker.from_env(timeout=3).ping()
    except Exception:  # no package, no socket, no permission: all mean "no Docker"
        return False
    return True


def postgres_answers(url: str) -> str | None:
    """Return None when PostgreSQL at ``url`` accepts a connection, else the reason it did not."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        return str(error.orig or error).strip()
    finally:
        engine.dispose()
    return None


def with_psycopg_driver(url: str) -> str:
    """Make a plain ``postgresql://`` URL use the psycopg 3 driver SQLAlchemy needs here."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@contextmanager
def nats_container() -> Iterator[str]:
    """Run a JetStream-enabled NATS container and yield its client URL."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    with DockerContainer(NATS_IMAGE).with_command("-js").with_exposed_ports(4222) as container:
        wait_for_logs(container, "Server is ready", timeout=30)
        host = container.get_container_host_ip()
        yield f"nats://{host}:{container.get_exposed_port(4222)}"


@contextmanager
def postgres_container() -> Iterator[str]:
    """Run a PostgreSQL container and yield its admin URL (psycopg driver)."""
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer(POSTGRES_IMAGE, driver="psycopg") as container:
        yield with_psycopg_driver(container.get_connection_url())


@contextmanager
def fresh_postgres_database(admin: Engine) -> Iterator[str]:
    """Create an empty database through an AUTOCOMMIT ``admin`` engine; drop it afterwards."""
    name = f"{TEST_DATABASE_PREFIX}{uuid.uuid4().hex}"
    with admin.connect() as connection:
        # template0 keeps tests independent of whatever someone put in template1 (~15 ms).
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def another_database(first: str, tmp_path: Path, name: str) -> Iterator[str]:
    """A second fresh database of the same kind as ``first`` (for a second service)."""
    if make_url(first).get_backend_name() == "sqlite":
        yield sqlite_url(tmp_path / f"{name}.db")
        return
    admin = create_engine(make_url(first).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with fresh_postgres_database(admin) as url:
            yield url
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a NATS server with JetStream shared by the test session."""
    from_environment = os.environ.get("NATS_URL")
    if from_environment:
        yield from_environment
        return
    with ExitStack() as stack:
        try:
            server = EmbeddedNats(tmp_path_factory.mktemp("nats"))
            stack.callback(server.stop)
            yield server.start()
            return
        except EmbeddedNatsError as error:
            reason = f"embedded nats-server: {error}"
        if docker_answers():
            yield stack.enter_context(nats_container())
            return
    pytest.fail(f"no NATS server for tests: NATS_URL is unset, {reason}, and Docker is absent")


@pytest.fixture
def embedded_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    """A private nats-server (own port, own data folder) that a test may stop and restart."""
    server = EmbeddedNats(tmp_path / "nats")
    try:
        server.start()
    except EmbeddedNatsError as error:
        pytest.fail(f"cannot start the embedded nats-server: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def secure_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    """A private nats-server running with the bus users and permissions (as ``make up`` does)."""
    server = EmbeddedNats(tmp_path / "secure-nats", secure=True)
    try:
        server.start()
    except EmbeddedNatsError as error:
        pytest.fail(f"cannot start the secured nats-server: {error}")
    try:
        yield server
    finally:
        server.stop()


async def connect_as(server: EmbeddedNats, user: str, **options: Any) -> NatsClient:
    """A bus connection as one of a secured server's users (replies under its own inbox)."""
    name, password = server.credentials(user)
    return await nats.connect(
        server.url, user=name, password=password, inbox_prefix=inbox_prefix(name), **options
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Admin URL of a PostgreSQL server the session may create databases on."""
    from_environment = os.environ.get("TEST_POSTGRES_URL")
    if from_environment:
        url = with_psycopg_driver(from_environment)
        problem = postgres_answers(url)
        if problem:
            pytest.fail(f"TEST_POSTGRES_URL={from_environment} does not answer: {problem}")
        yield url
        return
    if docker_answers():
        with postgres_container() as url:
            yield url
        return
    problem = postgres_answers(LOCAL_POSTGRES_URL)
    if problem:
        pytest.fail(
            "no PostgreSQL for tests: TEST_POSTGRES_URL is unset, Docker is absent, and "
            f"{LOCAL_POSTGRES_URL} does not answer ({problem}). Start PostgreSQL with trust "
            "auth on 127.0.0.1:5432 (see .ci/run) or set TEST_POSTGRES_URL."
        )
    yield LOCAL_POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_admin_engine(postgres_url: str) -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the admin database, for CREATE and DROP DATABASE."""
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "test.db")
        return
    admin: Engine = request.getfixturevalue("postgres_admin_engine")
    with fresh_postgres_database(admin) as url:
        yield url
