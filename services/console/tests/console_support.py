"""Helpers of the console's tests: a clock, settings, the CSRF token of a page, signing in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from console.main import Settings

PASSWORDS = {"auditor": "auditor-pass-1", "case_officer": "officer-pass-3"}


class Clock:
    """A clock the test moves by hand (session expiry)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock on."""
        self.now += delta


def console_settings(tmp_path: Path, users_file: Path, **extra: object) -> Settings:
    """The console's settings for a test: its own data folder, the test's users file."""
    return Settings(
        data_dir=tmp_path / "console", auth_users_file=users_file, session_minutes=60, **extra
    )


def csrf_of(client: TestClient, path: str) -> str:
    """The CSRF token in the page's forms."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {path}: {page.status_code}"
    return found.group(1)


def sign_in(
    client: TestClient, user_id: str, password: str, next_path: str = "/"
) -> httpx.Response:
    """Submit the sign-in form as a browser would (token from the form, then post)."""
    token = csrf_of(client, "/signin")
    form = {"csrf_token": token, "user_id": user_id, "password": password, "next": next_path}
    return client.post("/signin", data=form)
