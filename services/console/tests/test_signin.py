"""Signing in to the console: passwords against argon2 hashes, the session cookie, CSRF, expiry.

Given the users file `make demo` writes (argon2 hashes only), a person signs in with their user
id and password; every form needs the session's CSRF token; a session ends at sign-out or when
its time is up; a cookie the console did not sign is nobody's session.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from console_support import PASSWORDS, Clock, console_settings, csrf_of, sign_in
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from console.main import create_app

pytestmark = pytest.mark.integration


def test_the_users_file_holds_argon2_hashes_not_passwords(users_file: Path) -> None:
    text = users_file.read_text(encoding="utf-8")
    assert PASSWORDS["auditor"] not in text
    assert len(re.findall(r'password_argon2 = "\$argon2id\$', text)) == 2


def test_a_right_password_signs_in_with_an_httponly_samesite_cookie(console: TestClient) -> None:
    response = sign_in(console, "auditor-2", PASSWORDS["auditor"])
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie, "plain HTTP on the intranet test: no Secure flag"
    page = console.get("/")
    assert page.status_code == 200
    assert "赵敏" in page.text
    assert "审计员" in page.text


def test_the_cookie_is_secure_when_the_console_is_served_over_tls(
    tmp_path: Path, users_file: Path
) -> None:
    settings = console_settings(tmp_path, users_file, public_url="https://ccc.bureau.example")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        response = sign_in(client, "auditor-2", PASSWORDS["auditor"])
    assert "; secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("user_id", "password"),
    [("auditor-2", "wrong"), ("nobody", PASSWORDS["auditor"]), ("system", "anything")],
    ids=["wrong password", "unknown user", "no password in the file"],
)
def test_a_wrong_sign_in_is_refused_in_chinese_and_signs_nobody_in(
    console: TestClient, user_id: str, password: str
) -> None:
    response = sign_in(console, user_id, password)
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert console.get("/").headers["location"].startswith("/signin")


def test_the_refusal_is_in_english_after_the_switch(console: TestClient) -> None:
    console.get("/language/en?next=/signin")
    response = sign_in(console, "auditor-2", "wrong")
    assert "The user id or password is not right." in response.text


def test_a_sign_in_without_the_csrf_token_is_refused(console: TestClient) -> None:
    console.get("/signin")
    response = console.post(
        "/signin", data={"user_id": "auditor-2", "password": PASSWORDS["auditor"]}
    )
    assert response.status_code == 403
    assert "安全令牌" in response.text
    assert console.get("/").status_code == 303, "nobody was signed in"


def test_a_wrong_csrf_token_is_refused_too(console: TestClient) -> None:
    sign_in(console, "auditor-2", PASSWORDS["auditor"])
    response = console.post("/signout", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert console.get("/").status_code == 200, "still signed in"


def test_sign_out_ends_the_session(console: TestClient) -> None:
    sign_in(console, "auditor-2", PASSWORDS["auditor"])
    response = console.post("/signout", data={"csrf_token": csrf_of(console, "/")})
    assert response.headers["location"] == "/signin?signed_out=1"
    assert console.get("/").headers["location"] == "/signin?next=/"


def test_an_expired_session_sends_the_person_back_to_sign_in(
    console: TestClient, clock: Clock
) -> None:
    sign_in(console, "auditor-2", PASSWORDS["auditor"])
    clock.advance(timedelta(minutes=59))
    assert console.get("/").status_code == 200
    clock.advance(timedelta(minutes=1))
    response = console.get("/")
    assert response.headers["location"] == "/signin?expired=1&next=/"
    assert "登录已过期" in console.get(response.headers["location"]).text


def test_a_forged_session_cookie_is_nobodys_session(console: TestClient) -> None:
    forged = TimestampSigner("not-the-consoles-secret").sign(
        b'{"person": {"user_id": "admin-1", "roles": ["admin"], "token": "x", "expires": 9e9}}'
    )
    console.cookies.set("ccc_session", forged.decode())
    response = console.get("/")
    assert (response.status_code, response.headers["location"]) == (303, "/signin?next=/")


def test_after_sign_in_the_console_goes_back_to_the_page_asked_for_but_never_off_site(
    console: TestClient,
) -> None:
    assert (
        sign_in(console, "auditor-2", PASSWORDS["auditor"], "/search").headers["location"]
        == "/search"
    )
    console.cookies.clear()
    assert (
        sign_in(console, "auditor-2", PASSWORDS["auditor"], "//evil.example/").headers["location"]
        == "/"
    )
