"""compose.yaml and the Dockerfiles, checked without a Docker engine (none runs in CI).

The compose file is validated against the Compose specification's JSON schema; each
Dockerfile must run the very console script the tests and ``make demo`` run, as a non-root
user, from the uv lock; the environment compose gives a service must be what its settings read.
"""

from __future__ import annotations

import re
import subprocess
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from ccc_shared.runtime.launcher import SERVICES, ServiceSpec

ROOT = Path(__file__).resolve().parents[1]
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
    broken.write_text("services:\n  x:\n    image: nats\n    ports: 4222\n    restart: sometimes\n")
    assert validate_compose(broken).returncode != 0


def test_nats_runs_as_a_three_node_jetstream_cluster() -> None:
    services = compose()["services"]
    nodes = [name for name in services if name.startswith("nats-")]
    assert len(nodes) == 3
    for name in nodes:
        command = services[name]["command"]
        assert "-js" in command
        assert command[command.index("--cluster_name") + 1] == "ccc"


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_each_dockerfile_runs_the_services_own_entry_point_as_non_root(spec: ServiceSpec) -> None:
    dockerfile = (ROOT / "services" / spec.name / "Dockerfile").read_text(encoding="utf-8")
    scripts = tomllib.loads(
        (ROOT / "services" / spec.name / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]["scripts"]
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2, "not multi-stage"
    assert f"uv sync --frozen --no-dev --no-editable --package {spec.name}" in dockerfile
    assert re.search(r"^USER (?!root\b)\w+", dockerfile, re.MULTILINE), "runs as root"
    assert f'CMD ["{spec.name}"]' in dockerfile
    assert spec.name in scripts, "the image's command is not the service's console script"
    assert Path(spec.command()[0]).name == spec.name or spec.command()[-1].endswith(".main")
    assert f"EXPOSE {spec.port}" in dockerfile
    assert f"{spec.env_prefix}HTTP_PORT={spec.port}" in dockerfile
    service = compose()["services"][spec.name]
    assert service["build"]["dockerfile"] == f"services/{spec.name}/Dockerfile"


@pytest.mark.parametrize("spec", SERVICES, ids=[spec.name for spec in SERVICES])
def test_the_environment_compose_sets_is_what_the_service_reads(
    spec: ServiceSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        key: str(value).replace("${POSTGRES_PASSWORD:-ccc}", "ccc")
        for key, value in compose()["services"][spec.name]["environment"].items()
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    module = __import__(f"{spec.package}.main", fromlist=["Settings"])
    settings = module.Settings()
    assert settings.nats_url == environment["NATS_URL"]
    assert settings.database_url.startswith("postgresql+psycopg://ccc:ccc@postgres:5432/")
    assert settings.stream_replicas == 3
