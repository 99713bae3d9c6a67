"""The console's Dockerfile and compose entry, checked without a Docker engine.

The image runs the console script as a non-root user from the uv lock; compose gives it the
services' addresses and the settings it reads, and the services check people's tokens against
the console's published keys unless the bureau's identity provider is named.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ccc_shared.runtime.launcher import CONSOLE
from console.main import Settings

ROOT = Path(__file__).resolve().parents[3]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_the_console_image_runs_its_own_script_as_non_root_on_its_port() -> None:
    dockerfile = (ROOT / "services" / "console" / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2, "not multi-stage"
    assert "uv sync --frozen --no-dev --no-editable --package console" in dockerfile
    assert re.search(r"^USER (?!root\b)\w+", dockerfile, re.MULTILINE), "runs as root"
    assert 'CMD ["console"]' in dockerfile
    assert f"EXPOSE {CONSOLE.port}" in dockerfile
    assert f"CONSOLE_HTTP_PORT={CONSOLE.port}" in dockerfile
    assert compose()["services"]["console"]["build"]["dockerfile"] == "services/console/Dockerfile"


def test_the_environment_compose_gives_the_console_is_what_it_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment = {
        key: re.sub(r"\$\{[A-Z_]+:[?-]([^}]*)\}", "https://ccc.bureau.example", str(value))
        for key, value in compose()["services"]["console"]["environment"].items()
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.service_urls() == {
        "registry": "http://enterprise-registry:8101",
        "inspection": "http://inspection:8102",
        "enforcement": "http://enforcement:8103",
        "notification": "http://notification:8104",
    }
    assert settings.secure_cookies() is True
    assert settings.session_secret is not None


def test_the_services_check_peoples_tokens_against_the_consoles_keys_by_default() -> None:
    services = compose()["services"]
    for name in ("enterprise-registry", "inspection", "enforcement", "notification"):
        jwks = services[name]["environment"]["AUTH_JWKS_URL"]
        assert jwks == "${CCC_OIDC_JWKS_URL:-http://console:8100/.well-known/jwks.json}"
