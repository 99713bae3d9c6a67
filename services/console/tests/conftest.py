"""Console fixtures: a users file with argon2 password hashes, and the console app on it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ccc_shared.runtime.auth import demo_principals, write_users_file
from console.main import create_app

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from console_support import PASSWORDS, Clock, console_settings  # noqa: E402


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.toml"
    write_users_file(path, demo_principals(), passwords=PASSWORDS)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def console(tmp_path: Path, users_file: Path, clock: Clock) -> Iterator[TestClient]:
    app = create_app(console_settings(tmp_path, users_file), clock=clock)
    with TestClient(app, follow_redirects=False) as client:
        yield client
