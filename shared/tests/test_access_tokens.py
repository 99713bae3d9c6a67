"""Bearer tokens: JWTs signed with the bureau's key and opaque tokens from a users file."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from ccc_shared.runtime.auth import (
    ROLES,
    AuthenticationError,
    Authenticator,
    JwtSettings,
    Principal,
    UsersFile,
    authenticator_for,
    demo_jwts,
    main,
    mint_token,
    token_sha256,
    write_users_file,
)
from ccc_shared.runtime.settings import ServiceSettings

KEY = JwtSettings("k" * 40)
OTHER_KEY = JwtSettings("o" * 40)
PERSON = Principal.of("officer-3", "李强", "enforcement-section", "case_officer")


def bearer(token: str) -> str:
    return f"Bearer {token}"


async def refusal(authenticator: Authenticator, header: str | None) -> str:
    with pytest.raises(AuthenticationError) as raised:
        await authenticator.authenticate(header)
    assert raised.value.status_code == 401
    return raised.value.reason


async def test_a_minted_jwt_resolves_to_its_principal() -> None:
    authenticator = Authenticator(jwt_settings=KEY)
    assert (await authenticator.authenticate(bearer(mint_token(PERSON, KEY)))) == PERSON


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        ("Basic dXNlcjpwdw==", "malformed"),
        ("Bearer", "malformed"),
        ("Bearer a.b.c", "malformed"),
        ("Bearer two words", "malformed"),
    ],
)
async def test_missing_or_malformed_headers_are_refused(header: str | None, reason: str) -> None:
    assert await refusal(Authenticator(jwt_settings=KEY), header) == reason


async def test_an_expired_token_is_refused() -> None:
    long_ago = datetime.now(UTC) - timedelta(days=2)
    token = mint_token(PERSON, KEY, lifetime=timedelta(hours=1), now=long_ago)
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "expired"


async def test_a_token_signed_with_another_key_is_refused() -> None:
    token = mint_token(PERSON, OTHER_KEY)
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "invalid_signature"


@pytest.mark.parametrize(
    "settings",
    [JwtSettings(KEY.key, issuer="someone-else"), JwtSettings(KEY.key, audience="another-app")],
    ids=["issuer", "audience"],
)
async def test_a_token_for_another_issuer_or_audience_is_refused(settings: JwtSettings) -> None:
    token = mint_token(PERSON, settings)
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "invalid"


async def test_a_token_without_expiry_is_refused() -> None:
    claims = {"sub": "x", "roles": ["admin"], "iss": KEY.issuer, "aud": KEY.audience}
    token = jwt.encode(claims, KEY.key, algorithm="HS256")
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "invalid"


async def test_an_unsigned_token_is_refused() -> None:
    claims = {"sub": "x", "roles": ["admin"], "iss": KEY.issuer, "aud": KEY.audience,
              "exp": datetime.now(UTC) + timedelta(hours=1)}  # fmt: skip
    token = jwt.encode(claims, None, algorithm="none")
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "invalid"


async def test_a_token_naming_an_unknown_role_is_refused() -> None:
    claims = {"sub": "x", "roles": ["mayor"], "iss": KEY.issuer, "aud": KEY.audience,
              "exp": datetime.now(UTC) + timedelta(hours=1)}  # fmt: skip
    token = jwt.encode(claims, KEY.key, algorithm="HS256")
    assert await refusal(Authenticator(jwt_settings=KEY), bearer(token)) == "invalid"


def test_a_short_key_is_refused_when_configured() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        JwtSettings("short")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
async def test_a_users_file_gives_one_working_token_per_role(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"users{suffix}"
    tokens = write_users_file(path)
    assert set(tokens) == set(ROLES)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert all(token not in text for token in tokens.values()), "the file holds only hashes"
    authenticator = Authenticator(users=UsersFile.load(path))
    for role, token in tokens.items():
        principal = await authenticator.authenticate(bearer(token))
        assert principal.roles == {role}
    assert (await authenticator.authenticate(bearer(tokens["inspector"]))).name == "王芳"


async def test_an_unknown_opaque_token_is_refused(tmp_path: Path) -> None:
    write_users_file(tmp_path / "users.toml")
    authenticator = Authenticator(users=UsersFile.load(tmp_path / "users.toml"))
    assert await refusal(authenticator, bearer("not-a-known-token")) == "unknown"


async def test_a_hand_written_users_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    entry = {"id": "head-9", "name": "Head", "department": "d", "roles": ["section_head", "admin"],
             "token_sha256": token_sha256("s3cret-token")}  # fmt: skip
    path.write_text(json.dumps({"users": [entry]}))
    principal = await Authenticator(users=UsersFile.load(path)).authenticate(bearer("s3cret-token"))
    assert principal == Principal.of("head-9", "Head", "d", "section_head", "admin")


async def test_both_kinds_of_token_work_side_by_side(tmp_path: Path) -> None:
    tokens = write_users_file(tmp_path / "users.toml")
    authenticator = Authenticator.from_settings(jwt_key=KEY.key, users_file=tmp_path / "users.toml")
    assert (await authenticator.authenticate(bearer(mint_token(PERSON, KEY)))) == PERSON
    assert (await authenticator.authenticate(bearer(tokens["auditor"]))).roles == {"auditor"}


async def test_demo_tokens_are_printed_one_per_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(demo_jwts(KEY)) == set(ROLES)
    assert main(["--jwt-key", KEY.key]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(ROLES)
    authenticator = Authenticator(jwt_settings=KEY)
    for line in lines:
        role, token = line.split()
        assert (await authenticator.authenticate(bearer(token))).roles == {role}
    assert main(["--users-file", str(tmp_path / "u.toml")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(ROLES)


async def test_a_service_builds_its_authenticator_from_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTH_JWT_KEY", raising=False)  # the test session sets one
    with pytest.raises(ValueError, match="AUTH_JWT_KEY or AUTH_USERS_FILE"):
        authenticator_for(ServiceSettings())
    tokens = write_users_file(tmp_path / "users.toml")
    monkeypatch.setenv("AUTH_JWT_KEY", KEY.key)
    monkeypatch.setenv("AUTH_USERS_FILE", str(tmp_path / "users.toml"))
    authenticator = authenticator_for(ServiceSettings())
    assert (await authenticator.authenticate(bearer(mint_token(PERSON, KEY)))) == PERSON
    assert (await authenticator.authenticate(bearer(tokens["admin"]))).roles == {"admin"}
    assert KEY.key not in repr(ServiceSettings()), "the key stays out of logs"
