"""compose.yaml and the Dockerfiles, checked without a Docker engine (none runs in CI).

The compose file is validated against the Compose specification's JSON schema; each
Dockerfile must run the very console script the tests and ``make demo`` run, as a non-root
user, from the uv lock; the environment compose gives a service must be what its settings read.
"""

from __future__ import annotations

import asyncio
import functools
import re
import socket
import subprocess
import sysconfig
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
import yaml

from ccc_shared.messaging import ensure_stream, event_stream
from ccc_shared.runtime.embedded_nats import find_nats_server
from ccc_shared.runtime.launcher import SERVICES, ServiceSpec
from ccc_shared.runtime.nats_config import (
    compose_accounts_config,
    environment_value,
    password_hash,
)
from ccc_shared.runtime.nats_permissions import (
    all_user_names,
    inbox_prefix,
    password_hash_variable,
    password_variable,
)

ROOT = Path(__file__).resolve().parents[1]
ACCOUNTS = ROOT / "deploy" / "nats" / "accounts.conf"
MOUNTED_ACCOUNTS = "/etc/nats/accounts.conf"
CHECK_JSONSCHEMA = Path(sysconfig.get_path("scripts")) / "check-jsonschema"


def validate_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    result = validate_compose(ROOT / "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_really_rejects_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text("services:\n  x:\n    image: nats\n    ports: 4222\n")
    refused = validate_compose(broken)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "$.services.x.ports: 4222 is not of type 'array'" in refused.stdout  # for that reason
    broken.write_text("services:\n  x:\n    image: nats\n    ports: [4222]\n")  # mended
    mended = validate_compose(broken)
    assert mended.returncode == 0, mended.stdout + mended.stderr


def test_nats_runs_as_a_three_node_jetstream_cluster() -> None:
    services = compose()["services"]
    nodes = [name for name in services if name.startswith("nats-")]
    assert len(nodes) == 3
    for name in nodes:
        command = services[name]["command"]
        assert "-js" in command
        assert command[command.index("--cluster_name") + 1] == "ccc"
        assert command[command.index("-c") + 1] == MOUNTED_ACCOUNTS
        assert f"./deploy/nats/accounts.conf:{MOUNTED_ACCOUNTS}:ro" in services[name]["volumes"]
        environment = services[name]["environment"]
        # nats-server gets only the hashes; the passwords stay with the clients
        assert {password_hash_variable(user) for user in all_user_names()} <= set(environment)
        assert not {password_variable(user) for user in all_user_names()} & set(environment)


def test_the_nats_accounts_file_is_what_the_permissions_table_generates() -> None:
    assert ACCOUNTS.read_text(encoding="utf-8") == compose_accounts_config(
        ACCOUNTS.parent / "subscribers.toml"
    ), "regenerate: python -m ccc_shared.runtime.nats_permissions > deploy/nats/accounts.conf"


@functools.cache
def password_environment() -> dict[str, str]:
    """nats-server's environment: the bcrypt hash of ``pw-<user>`` for each user."""
    return {
        password_hash_variable(user): environment_value(password_hash(f"pw-{user}"))
        for user in all_user_names()
    }


def test_nats_server_accepts_the_accounts_file_only_with_the_passwords_set() -> None:
    def check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(find_nats_server()), "-c", str(ACCOUNTS), "-t"],
            capture_output=True, text=True, timeout=30, check=False, env=environment,
        )  # fmt: skip

    assert check(password_environment()).returncode == 0
    missing = check({})
    assert missing.returncode != 0
    assert "CCC_NATS_" in missing.stdout + missing.stderr


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.fixture
def three_node_cluster(tmp_path: Path) -> Iterator[list[str]]:
    """Three local nats-servers clustered as compose runs them, with the accounts file."""
    clients, routes = free_ports(3), free_ports(3)
    route_urls = ",".join(f"nats://127.0.0.1:{port}" for port in routes)
    processes = []
    for node in range(3):
        command = [
            str(find_nats_server()), "-c", str(ACCOUNTS), "-js", "-sd", str(tmp_path / f"n{node}"),
            "-a", "127.0.0.1", "-p", str(clients[node]), "--server_name", f"nats-{node + 1}",
            "--cluster_name", "ccc", "--cluster", f"nats://127.0.0.1:{routes[node]}",
            "--routes", route_urls,
        ]  # fmt: skip
        log = (tmp_path / f"n{node}.log").open("wb")
        processes.append(
            subprocess.Popen(command, stdout=log, stderr=log, env=password_environment())
        )
    try:
        yield [f"nats://127.0.0.1:{port}" for port in clients]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


async def test_the_cluster_keeps_each_service_to_its_own_subjects(
    three_node_cluster: list[str],
) -> None:
    refused: list[str] = []

    async def collect(error: Exception) -> None:
        refused.append(str(error))

    nc = await nats.connect(
        three_node_cluster, user="registry", password="pw-registry",
        inbox_prefix=inbox_prefix("registry"), error_cb=collect,
    )  # fmt: skip
    try:
        js = nc.jetstream()
        for attempt in range(60):  # the cluster elects its meta leader first
            try:
                await ensure_stream(js, event_stream("registry", replicas=3))
                break
            except Exception:
                if attempt == 59:
                    raise
                await asyncio.sleep(0.25)
        ack = await js.publish("ccc.registry.enterprise.e-1.Registered", b"{}")
        info = await js.stream_info("CCC_REGISTRY")
        assert (ack.seq, info.config.num_replicas) == (1, 3)
        with pytest.raises(asyncio.TimeoutError):
            await js.publish("ccc.inspection.inspection.i-1.Forged", b"{}", timeout=0.5)
        await nc.flush()
        assert any("permissions violation" in error.lower() for error in refused)
    finally:
        await nc.close()


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_each_dockerfile_runs_the_services_own_entry_point_as_non_root(spec: ServiceSpec) -> None:
    dockerfile = (ROOT / "services" / spec.name / "Dockerfile").read_text(encoding="utf-8")
    scripts = tomllib.loads(
        (ROOT / "services" / spec.name / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]["scripts"]
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2, "not multi-stage"
    assert f"uv sync --frozen --no-dev --no-editable --package {spec.name}" in dockerfile
    # uv resolves the whole workspace: every member's folder must be in the build stage
    members = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"][
        "workspace"
    ]["members"]
    for member in members:
        top = member.split("/")[0]
        assert re.search(rf"^COPY {top} \./{top}$", dockerfile, re.MULTILINE), f"{top} not copied"
    assert re.search(r"^USER (?!root\b)\w+", dockerfile, re.MULTILINE), "runs as root"
    assert f'CMD ["{spec.name}"]' in dockerfile
    assert spec.name in scripts, "the image's command is not the service's console script"
    assert Path(spec.command()[0]).name == spec.name or spec.command()[-1].endswith(".main")
    assert f"EXPOSE {spec.port}" in dockerfile
    assert f"{spec.env_prefix}HTTP_PORT={spec.port}" in dockerfile
    service = compose()["services"][spec.name]
    assert service["build"]["dockerfile"] == f"services/{spec.name}/Dockerfile"
    ready = f"http://127.0.0.1:{spec.port}/ready"
    assert ready in " ".join(service["healthcheck"]["test"]), "compose probes readiness"
    assert ready in dockerfile, "the image's own health check probes readiness"


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_the_environment_compose_sets_is_what_the_service_reads(
    spec: ServiceSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        key: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))  # ${X:-default}: default
        for key, value in compose()["services"][spec.name]["environment"].items()
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    module = __import__(f"{spec.package}.main", fromlist=["Settings"])
    settings = module.Settings()
    assert settings.nats_url == environment["NATS_URL"]
    assert settings.database_url.startswith("postgresql+psycopg://ccc:ccc@postgres:5432/")
    assert settings.stream_replicas == 3
    context = {"enterprise-registry": "registry"}.get(spec.name, spec.name)
    assert settings.nats_user == context
    assert settings.nats_password is not None
    assert password_variable(context) in environment["NATS_PASSWORD"]
    assert settings.nats_connect_options()["inbox_prefix"] == inbox_prefix(context)
