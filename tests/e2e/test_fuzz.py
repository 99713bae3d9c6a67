"""Schemathesis against the four running services: no input gets a server error, and every
response matches the service's own OpenAPI document.

Every operation of every service is called with the token of each role the access table lets
call it (public routes with none), by schemathesis's own runner: the schema's examples, its
coverage phase (boundary values: the largest integers, the longest strings, each constraint
broken) and fuzzing, with valid and invalid inputs. Bounded: ``FUZZ_EXAMPLES`` examples per
operation and phase (default 10), deterministic so a failure repeats; the failures of every
role are reported together.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sysconfig
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from ccc_audit.services import access_table
from ccc_shared.runtime.access import (
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

ACCESS = access_table()  # every service's rows
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))  # fewer misses the 2^63 offset of issue 13
# Each operation in full with one role, on each store: on SQLite the schema's examples, the
# coverage phase and fuzzing; on PostgreSQL the examples and the coverage phase, whose boundary
# values are where the stores differ (2^63 offsets, the longest strings). The random fuzzing of
# the HTTP edge and the brief runs in the other roles (access, not data) are the same code on
# both stores and run once, on SQLite: this keeps the test at about 5 minutes of CI's 25.
FULL = {
    "sqlite": ("examples,coverage,fuzzing", EXAMPLES),
    "postgresql": ("examples,coverage", EXAMPLES),
}
BRIEF = ("fuzzing", 2)  # the same operation in another allowed role: access, not data
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
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


def fuzz(
    base_url: str, role: str | None, operation_ids: list[str], depth: tuple[str, int]
) -> str | None:
    """Run schemathesis over the operations with one role's token; its report if it failed."""
    token = ["--header", f"Authorization: {actor_headers(role)['Authorization']}"] if role else []
    only = [argument for op in operation_ids for argument in ("--include-operation-id", op)]
    ran = subprocess.run(
        [
            str(Path(sysconfig.get_path("scripts")) / "schemathesis"), "run",
            f"{base_url}/openapi.json", *token, *only,
            "--phases", depth[0], "--max-examples", str(depth[1]),
            "--checks", ",".join(CHECKS), "--generation-deterministic", "--no-color",
            "--request-timeout", "30",
        ],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if ran.returncode == 0:
        return None
    return f"as {role or 'anyone'}:\n{ran.stdout[-6000:]}\n{ran.stderr[-2000:]}"


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_no_input_gets_a_server_error_or_a_response_off_the_schema(
    system: System, spec: ServiceSpec, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = request.node.callspec.params["system"]
    full = FULL[store]
    context, names = route_names(spec, tmp_path)
    base_url = system.services[spec.name].url
    document = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    # each operation in full with one role that may call it, briefly with every other one
    runs: dict[tuple[str | None, tuple[str, int]], list[str]] = defaultdict(list)
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            name = names[(path, method.upper())]
            if name in PUBLIC_ROUTES:  # liveness and the API's documentation: no token
                runs[(None, full)].append(operation["operationId"])
                continue
            query = method.upper() in QUERY_METHODS
            allowed = allowed_roles(ACCESS, f"{context}:{name}", query=query)
            assert allowed, f"{method.upper()} {path}: no role may call it"
            first, *others = sorted(allowed)
            runs[(first, full)].append(operation["operationId"])
            for role in others if store == "sqlite" else []:
                runs[(role, BRIEF)].append(operation["operationId"])
    assert sum(len(ids) for ids in runs.values()) >= len(document["paths"])
    failures = [
        failure
        for (role, depth), operation_ids in sorted(runs.items(), key=lambda run: str(run[0]))
        if (failure := fuzz(base_url, role, operation_ids, depth)) is not None
    ]
    assert failures == [], "\n\n".join(failures) + "\n" + system.log_tail(20)
