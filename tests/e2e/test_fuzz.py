"""Schemathesis against the four running services: no input gets a server error, and every
response matches the service's own OpenAPI document.

Every operation of every service is called with the token of each role the access table lets
call it, with valid inputs (positive) and invalid ones (negative). Bounded: ``FUZZ_EXAMPLES``
examples per operation, role and mode (default 6), derandomised so a failure repeats; the
failures are collected across operations and reported together.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from ccc_shared.runtime.access import (
    ACCESS_TABLE,
    PUBLIC_ROUTES,
    QUERY_METHODS,
    allowed_roles,
    app_routes,
)
from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.launcher import SERVICES, ServiceSpec
from ccc_shared.runtime.settings import sqlite_url
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.servers import fresh_postgres_database
from ccc_shared.testing.system import System, running_system

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def system(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[System]:
    """The four services on a private nats-server, on SQLite files or PostgreSQL databases."""
    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with ExitStack() as stack:
        nats_server = EmbeddedNats(folder / "nats")
        nats_server.start()
        stack.callback(nats_server.stop)
        urls: dict[str, str] = {}
        if request.param == "postgresql":
            admin: Engine = request.getfixturevalue("postgres_admin_engine")
            for spec in SERVICES:
                urls[spec.name] = stack.enter_context(fresh_postgres_database(admin))
        yield stack.enter_context(running_system(nats_server.url, folder / "var", urls))


def route_names(spec: ServiceSpec, folder: Path) -> tuple[str, dict[tuple[str, str], str]]:
    """The service's context and its routes' names by (path, method), from its own app."""
    main = importlib.import_module(f"{spec.package}.main")
    data = folder / spec.name
    app: FastAPI = main.create_app(
        main.Settings(database_url=sqlite_url(data / "unused.db"), data_dir=data)
    )
    names = {
        (route.path, method): route.name for route in app_routes(app) for method in route.methods
    }
    return app.state.kernel.context, names


def fuzz_operation(
    operation: Any, base_url: str, role: str | None, mode: GenerationMode
) -> str | None:
    """Call one operation with one role's token (none: a public route); the failure, if any."""
    headers = actor_headers(role) if role else {}

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        call()
    except Unsatisfiable:  # nothing invalid to send (a route without parameters or body)
        return None
    except Exception as failure:  # a schemathesis failure group or an assertion
        return f"{operation.method.upper()} {operation.path} as {role} ({mode.value}): {failure}"
    return None


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_no_input_gets_a_server_error_or_a_response_off_the_schema(
    system: System, spec: ServiceSpec, tmp_path: Path
) -> None:
    context, names = route_names(spec, tmp_path)
    base_url = system.services[spec.name].url
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method = operation.method.upper()
        name = names[(operation.path, method)]
        roles: list[str | None] = [None]  # liveness and the API's documentation: no token
        if name not in PUBLIC_ROUTES:
            allowed = allowed_roles(
                ACCESS_TABLE, f"{context}:{name}", query=method in QUERY_METHODS
            )
            assert allowed, f"{method} {operation.path}: no role may call it"
            roles = sorted(allowed)
        for role in roles:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                calls += 1
                failure = fuzz_operation(operation, base_url, role, mode)
                if failure is not None:
                    failures.append(failure)
    assert calls > 0
    assert failures == [], "\n\n".join(failures) + "\n" + system.log_tail(20)
