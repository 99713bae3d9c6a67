"""Who is calling: bearer tokens resolved to a principal (user, name, department, roles).

Two kinds of token, both checked on every request:
- JWT (HS256, signed with the bureau's configured key; ``exp``, ``iss`` and ``aud`` required and
  checked; ``sub`` is the user id, ``name``, ``department`` and ``roles`` are claims), or RS256
  signed by the identity provider and checked against its JWKS (``ccc_shared.runtime.jwks``);
- opaque tokens for the embedded default, looked up by their SHA-256 in a users file (TOML or
  JSON: ``[[users]]`` with ``id``, ``name``, ``department``, ``roles``, ``token_sha256``), so the
  file itself holds no usable secret. An entry may also hold ``password_argon2``, the argon2 hash
  of the password the person signs in to the console with (entries without a token are allowed).
Every failure is an ``AuthenticationError`` (HTTP 401) saying which of missing, malformed,
expired, bad signature or unknown it was; the token itself is never logged or echoed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import jwt

from ccc_shared.runtime.settings import ServiceSettings

ROLES = ("inspector", "case_officer", "section_head", "auditor", "admin", "system")
ALGORITHM = "HS256"
DEFAULT_ISSUER = "ccc-supervision"
DEFAULT_AUDIENCE = "ccc-supervision"
MIN_KEY_BYTES = 32  # RFC 7518 3.2: an HS256 key at least as long as the hash output

# The people `make demo` hands out, one per role (id, name, department).
DEMO_PEOPLE: dict[str, tuple[str, str, str]] = {
    "inspector": ("inspector-7", "王芳", "inspection-section"),
    "case_officer": ("officer-3", "李强", "enforcement-section"),
    "section_head": ("head-1", "陈静", "inspection-section"),
    "auditor": ("auditor-2", "赵敏", "audit-office"),
    "admin": ("admin-1", "周杰", "it-office"),
    "system": ("system", "system", "bureau"),
}


class AuthenticationError(Exception):
    """The request does not prove who is calling (HTTP 401); ``reason`` says why."""

    status_code = 401

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason  # missing, malformed, expired, invalid_signature, unknown, invalid
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Principal:
    """A person (or a service) the bureau knows, with the roles they act in."""

    user_id: str
    name: str
    department: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.user_id:
            raise ValueError("a principal needs a user id")
        unknown = set(self.roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}; known: {', '.join(ROLES)}")
        object.__setattr__(self, "roles", frozenset(self.roles))

    @classmethod
    def of(cls, user_id: str, name: str, department: str, *roles: str) -> Principal:
        """A principal with the given roles (shorthand for tests and demo users)."""
        return cls(user_id, name, department, frozenset(roles))


def token_sha256(token: str) -> str:
    """The hex SHA-256 a users file stores for an opaque token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JwtSettings:
    """How JWTs are signed and checked: key, issuer, audience, allowed clock skew."""

    key: str
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    leeway: float = 30.0

    def __post_init__(self) -> None:
        if len(self.key.encode("utf-8")) < MIN_KEY_BYTES:
            raise ValueError(f"the JWT key must be at least {MIN_KEY_BYTES} bytes")


def mint_token(
    principal: Principal,
    settings: JwtSettings,
    *,
    lifetime: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A signed JWT for ``principal`` (tests, `make demo`, the bureau's sign-in service)."""
    issued = now or datetime.now(UTC)
    claims = {
        "sub": principal.user_id,
        "name": principal.name,
        "department": principal.department,
        "roles": sorted(principal.roles),
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": issued,
        "exp": issued + lifetime,
    }
    return jwt.encode(claims, settings.key, algorithm=ALGORITHM)


def verify_token(token: str, settings: JwtSettings) -> Principal:
    """The principal a JWT names, or AuthenticationError saying why it is refused."""
    try:
        claims = jwt.decode(
            token,
            settings.key,
            algorithms=[ALGORITHM],
            audience=settings.audience,
            issuer=settings.issuer,
            leeway=settings.leeway,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise AuthenticationError("expired", "the token has expired") from error
    except jwt.InvalidSignatureError as error:
        raise AuthenticationError(
            "invalid_signature", "the token's signature is not ours"
        ) from error
    except jwt.DecodeError as error:
        raise AuthenticationError("malformed", "the token is not a well-formed JWT") from error
    except jwt.InvalidTokenError as error:  # issuer, audience, missing claim, not yet valid
        raise AuthenticationError("invalid", f"the token is not valid here: {error}") from error
    return _principal(claims, "token")


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """The principal a verified token's claims name (sub, name, department, roles)."""
    return _principal(claims, "token")


class TokenVerifier(Protocol):
    """Checks one kind of signed token (e.g. RS256 against a JWKS) and names its principal."""

    async def verify(self, token: str) -> Principal:
        """The principal the token names, or AuthenticationError (may fetch keys: awaited)."""
        ...


def _principal(record: Mapping[str, Any], where: str) -> Principal:
    """A principal from token claims or a users-file entry; AuthenticationError if malformed."""
    try:
        roles = record["roles"]
        if isinstance(roles, str) or not isinstance(roles, Iterable):
            raise TypeError("roles must be a list")
        return Principal(
            user_id=str(record.get("sub") or record["id"]),
            name=str(record.get("name") or ""),
            department=str(record.get("department") or ""),
            roles=frozenset(str(role) for role in roles),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise AuthenticationError("invalid", f"the {where} does not name a valid user") from error


class UsersFile:
    """Opaque tokens of the embedded default, known by their SHA-256 (TOML or JSON file)."""

    def __init__(self, users: Iterable[tuple[str, Principal]]) -> None:
        self._by_hash = {digest.lower(): principal for digest, principal in users}

    @classmethod
    def load(cls, path: Path | str) -> UsersFile:
        """Read a users file: ``[[users]]`` (TOML) or ``{"users": [...]}`` (JSON)."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        users = []
        for entry in data.get("users", []):
            if "token_sha256" in entry:  # a person who only signs in with a password has none
                users.append((str(entry["token_sha256"]), _principal(entry, f"users file {path}")))
        return cls(users)

    def lookup(self, token: str) -> Principal:
        """The principal holding this opaque token, or AuthenticationError (unknown)."""
        principal = self._by_hash.get(token_sha256(token))
        if principal is None:
            raise AuthenticationError("unknown", "the token is not known here")
        return principal


class Authenticator:
    """Resolves an ``Authorization: Bearer <token>`` header to a Principal, or refuses (401)."""

    def __init__(
        self,
        *,
        jwt_settings: JwtSettings | None = None,
        users: UsersFile | None = None,
        jwks: TokenVerifier | None = None,
    ):
        if jwt_settings is None and users is None and jwks is None:
            raise ValueError("an authenticator needs a JWT key, a JWKS, a users file, or some")
        self.jwt_settings = jwt_settings
        self.users = users
        self.jwks = jwks

    @classmethod
    def from_settings(
        cls,
        *,
        jwt_key: str | None = None,
        issuer: str = DEFAULT_ISSUER,
        audience: str = DEFAULT_AUDIENCE,
        users_file: Path | str | None = None,
    ) -> Authenticator:
        """An authenticator from a service's settings (``auth_*`` in ServiceSettings)."""
        return cls(
            jwt_settings=JwtSettings(jwt_key, issuer, audience) if jwt_key else None,
            users=UsersFile.load(users_file) if users_file else None,
        )

    async def authenticate(self, authorization: str | None) -> Principal:
        """The principal behind the header's bearer token (awaited: an RS256 token may need the
        provider's keys fetched, which must not hold up the event loop)."""
        if not authorization:
            raise AuthenticationError(
                "missing", "no bearer token: send Authorization: Bearer <token>"
            )
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise AuthenticationError(
                "malformed", "the Authorization header must be 'Bearer <token>'"
            )
        if token.count(".") == 2:  # header.payload.signature
            from ccc_shared.runtime.jwks import RS256, token_algorithm

            if self.jwks is not None and token_algorithm(token) == RS256:
                return await self.jwks.verify(token)
            if self.jwt_settings is None:
                raise AuthenticationError("unknown", "JWTs are not accepted here")
            return verify_token(token, self.jwt_settings)
        if self.users is None:
            raise AuthenticationError("malformed", "the token is not a well-formed JWT")
        return self.users.lookup(token)


def authenticator_for(settings: ServiceSettings) -> Authenticator:
    """The authenticator a service's settings configure (``AUTH_JWT_KEY``, ``AUTH_USERS_FILE``)."""
    from ccc_shared.runtime.jwks import JwksSettings, JwksVerifier

    key = settings.auth_jwt_key.get_secret_value() if settings.auth_jwt_key else None
    if key is None and settings.auth_users_file is None and not settings.auth_jwks_url:
        raise ValueError(
            "no way to check tokens: set AUTH_JWKS_URL, AUTH_JWT_KEY or AUTH_USERS_FILE"
        )
    jwks = None
    if settings.auth_jwks_url:
        cooldown = settings.auth_jwks_refresh_cooldown_seconds
        jwks = JwksVerifier(
            JwksSettings(
                settings.auth_jwks_url,
                settings.auth_issuer,
                settings.auth_audience,
                refresh_cooldown_seconds=cooldown,
            )
        )
    users = settings.auth_users_file
    issuer, audience = settings.auth_issuer, settings.auth_audience
    return Authenticator(
        jwt_settings=JwtSettings(key, issuer, audience) if key else None,
        users=UsersFile.load(users) if users else None,
        jwks=jwks,
    )


# -- demo users --------------------------------------------------------------------------------
def demo_principals() -> dict[str, Principal]:
    """One principal per role, as `make demo` hands them out."""
    return {
        role: Principal.of(user_id, name, department, role)
        for role, (user_id, name, department) in DEMO_PEOPLE.items()
    }


def write_users_file(
    path: Path | str,
    principals: Mapping[str, Principal] | None = None,
    passwords: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Write a users file with a fresh opaque token per entry; returns ``{key: token}``.

    Only the tokens' SHA-256 go into the file (TOML, or JSON when the name ends in .json); the
    tokens themselves are returned once, to be printed or handed out. ``passwords`` (by the same
    keys) are stored as argon2 hashes, for signing in to the console.
    """
    path = Path(path)
    people = demo_principals() if principals is None else principals
    tokens = {key: secrets.token_urlsafe(32) for key in people}
    entries = [
        {
            "id": principal.user_id,
            "name": principal.name,
            "department": principal.department,
            "roles": sorted(principal.roles),
            "token_sha256": token_sha256(tokens[key]),
        }
        for key, principal in people.items()
    ]
    if passwords:
        from argon2 import PasswordHasher

        hasher = PasswordHasher()
        for key, entry in zip(people, entries, strict=True):
            if key in passwords:
                entry["password_argon2"] = hasher.hash(passwords[key])
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        text = json.dumps({"users": entries}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "# users and the SHA-256 of their opaque tokens (ccc_shared.runtime.auth)\n"
        for entry in entries:
            text += "\n[[users]]\n" + "".join(
                f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in entry.items()
            )
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return tokens


def demo_jwts(settings: JwtSettings, lifetime: timedelta = timedelta(hours=12)) -> dict[str, str]:
    """One signed JWT per role for the demo people."""
    return {
        role: mint_token(principal, settings, lifetime=lifetime)
        for role, principal in demo_principals().items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print one bearer token per role: JWTs (with --jwt-key) or a fresh users file's tokens."""
    parser = argparse.ArgumentParser(prog="ccc-tokens", description=main.__doc__)
    parser.add_argument("--users-file", help="write a users file here and print its tokens")
    parser.add_argument("--jwt-key", default=os.environ.get("AUTH_JWT_KEY"), help="HS256 key")
    arguments = parser.parse_args(argv)
    if arguments.users_file:
        tokens = write_users_file(arguments.users_file)
    elif arguments.jwt_key:
        tokens = demo_jwts(JwtSettings(arguments.jwt_key))
    else:
        parser.error("give --users-file or --jwt-key (or AUTH_JWT_KEY)")
    for role, token in tokens.items():
        print(f"{role:<13} {token}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
