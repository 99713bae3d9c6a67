"""Signing in through the bureau's OpenID Connect provider (authorization code with PKCE).

Given a provider over real HTTP on 127.0.0.1 with real RSA keys, the console sends the person
there with an S256 challenge, takes the code back, exchanges it and checks the tokens against the
provider's keys; a callback with a state the console did not issue, or a code used twice, signs
nobody in; after the provider rotates its key people still sign in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from ccc_shared.runtime.auth import Principal
from ccc_shared.testing.identity_provider import Provider, running_provider
from console.main import Settings, create_app

pytestmark = pytest.mark.integration
AUDITOR = Principal.of("auditor-2", "赵敏", "audit-office", "auditor")


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        running.person = AUDITOR
        yield running


@pytest.fixture
def console(tmp_path: Path, provider: Provider) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "console", oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id, oidc_client_secret=provider.client_secret,
        auth_audience=provider.audience, auth_jwks_refresh_cooldown_seconds=0,
    )  # fmt: skip
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def to_provider_and_back(console: TestClient, next_path: str = "/") -> str:
    """Start the sign-in, let the provider answer, return the callback path with its query."""
    start = console.get(f"/signin/oidc?next={next_path}")
    assert start.status_code == 302
    authorize = start.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["openid profile"]
    back = httpx.get(authorize, follow_redirects=False)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["location"])
    return f"{callback.path}?{callback.query}"


def test_the_person_signs_in_at_the_provider_and_comes_back_signed_in(
    console: TestClient,
) -> None:
    signin = console.get("/signin")
    assert 'href="/signin/oidc?next=/"' in signin.text
    assert 'name="password"' not in signin.text, "no password sign-in without a users file"
    done = console.get(to_provider_and_back(console, "/search"))
    assert (done.status_code, done.headers["location"]) == (303, "/search")
    page = console.get("/")
    assert page.status_code == 200
    assert "赵敏" in page.text


def test_a_callback_with_a_state_the_console_did_not_issue_signs_nobody_in(
    console: TestClient,
) -> None:
    path = to_provider_and_back(console)
    forged = path.replace("state=", "state=forged")
    refused = console.get(forged)
    assert refused.status_code == 401
    assert "统一身份认证未能确认您的身份" in refused.text
    assert console.get("/").status_code == 303, "nobody is signed in"


def test_a_code_used_twice_signs_nobody_in_the_second_time(console: TestClient) -> None:
    path = to_provider_and_back(console)
    assert console.get(path).status_code == 303
    console.cookies.clear()
    console.get("/signin")
    assert console.get(path).status_code == 401
    assert console.get("/").status_code == 303


def test_after_the_provider_rotates_its_key_people_still_sign_in(
    console: TestClient, provider: Provider
) -> None:
    assert console.get(to_provider_and_back(console)).status_code == 303
    console.cookies.clear()
    provider.rotate(keep_old=False)
    assert console.get(to_provider_and_back(console)).status_code == 303
    assert console.get("/").status_code == 200
