"""Sign-in throttling: guessing passwords is slowed, then refused for a while, never forever.

Five wrong passwords for one user id from one address make that pair wait a minute (doubling
with each new lock, at most 15 minutes); the refusal says so in Chinese (or English) and checks
no password, even a right one. Thirty failures from one address lock that address. Twenty
failures for one id from many addresses lock the id, but not in a browser that has signed in as
that person before: an attacker cannot keep the real person out of their own browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from console_support import PASSWORDS, Clock, console_settings, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from console.main import create_app

pytestmark = pytest.mark.integration
OFFICER, AUDITOR = "officer-3", "auditor-2"


@pytest.fixture
def app(tmp_path: Path, users_file: Path, clock: Clock) -> FastAPI:
    return create_app(console_settings(tmp_path, users_file), clock=clock)


@contextmanager
def browser(app: FastAPI, address: str) -> Iterator[TestClient]:
    """A browser at one client address."""
    with TestClient(app, follow_redirects=False, client=(address, 50000)) as client:
        yield client


def wrong(client: TestClient, user_id: str, times: int) -> list[int]:
    return [sign_in(client, user_id, f"guess-{n}").status_code for n in range(times)]


def test_five_wrong_passwords_make_the_id_wait_from_that_address_then_it_signs_in(
    app: FastAPI, clock: Clock
) -> None:
    with browser(app, "10.0.0.5") as guesser, browser(app, "10.0.0.6") as elsewhere:
        assert wrong(guesser, OFFICER, 5) == [401] * 5
        refused = sign_in(guesser, OFFICER, PASSWORDS["case_officer"])  # even the right one
        assert refused.status_code == 429
        assert "登录失败次数过多，请 1 分钟后再试" in refused.text
        assert refused.headers["retry-after"] == "60"
        assert "ccc_session" not in refused.headers.get("set-cookie", "")
        assert sign_in(elsewhere, OFFICER, PASSWORDS["case_officer"]).status_code == 303

        clock.advance(timedelta(seconds=61))
        assert sign_in(guesser, OFFICER, PASSWORDS["case_officer"]).status_code == 303


def test_each_new_lock_is_longer_up_to_fifteen_minutes_and_the_refusal_can_be_read_in_english(
    app: FastAPI, clock: Clock
) -> None:
    waits = []
    with browser(app, "10.0.0.7") as guesser:
        guesser.cookies.set("ccc_lang", "en")
        for _ in range(6):
            wrong(guesser, OFFICER, 5)
            refused = sign_in(guesser, OFFICER, "again")
            assert refused.status_code == 429
            waits.append(int(refused.headers["retry-after"]) // 60)
            clock.advance(timedelta(seconds=int(refused.headers["retry-after"])))
        # the pair's lock doubles; the 20th failure for the id locks the id for the cap itself
        assert waits == [1, 2, 4, 15, 15, 15]
        assert "Too many failed sign-ins; try again in 15 minutes" in refused.text
        assert sign_in(guesser, OFFICER, PASSWORDS["case_officer"]).status_code == 303


def test_thirty_failures_from_one_address_lock_that_address_only(app: FastAPI) -> None:
    with browser(app, "10.0.0.8") as sprayer, browser(app, "10.0.0.9") as colleague:
        codes = [sign_in(sprayer, f"user-{n}", "password").status_code for n in range(30)]
        assert codes == [401] * 30
        assert sign_in(sprayer, AUDITOR, PASSWORDS["auditor"]).status_code == 429
        assert sign_in(colleague, AUDITOR, PASSWORDS["auditor"]).status_code == 303


def test_a_guess_spread_over_many_addresses_does_not_lock_the_person_out_of_their_browser(
    app: FastAPI, clock: Clock
) -> None:
    with browser(app, "10.1.0.1") as own:
        assert sign_in(own, AUDITOR, PASSWORDS["auditor"]).status_code == 303
        assert own.cookies.get("ccc_device"), "the browser is now known for the auditor"
        for n in range(20):
            with browser(app, f"10.2.0.{n}") as bot:
                assert wrong(bot, AUDITOR, 1) == [401]
        with browser(app, "10.2.1.1") as stranger:
            refused = sign_in(stranger, AUDITOR, PASSWORDS["auditor"])
            assert (refused.status_code, refused.headers["retry-after"]) == (429, "900")
        assert sign_in(own, AUDITOR, PASSWORDS["auditor"]).status_code == 303
    clock.advance(timedelta(minutes=15, seconds=1))
    with browser(app, "10.2.1.1") as stranger:
        assert sign_in(stranger, AUDITOR, PASSWORDS["auditor"]).status_code == 303
