"""Who is signing in: passwords checked against the users file, and the tokens the console signs.

Embedded default: a person signs in with their user id and password; the users file holds only
the password's argon2 hash (``password_argon2``). The console then signs a short RS256 access
token for them with its own key and publishes the public half as a JWKS, which the services
check tokens against (``AUTH_JWKS_URL``): the services hold no secret that could mint a token.
In production the bureau's OpenID Connect provider plays this part (``console.oidc``).
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from ccc_shared.runtime.auth import Principal

_HASHER = PasswordHasher()


@functools.cache
def _unknown_user_hash() -> str:
    """Checked when the user id is unknown, so a wrong id takes as long as a wrong password."""
    return _HASHER.hash("no such user")


class PasswordBook:
    """The people who may sign in with a password, read from the users file on each attempt."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _entries(self) -> dict[str, dict[str, Any]]:
        text = self.path.read_text(encoding="utf-8")
        data = json.loads(text) if self.path.suffix == ".json" else tomllib.loads(text)
        return {str(entry["id"]): entry for entry in data.get("users", []) if "id" in entry}

    def sign_in(self, user_id: str, password: str) -> Principal | None:
        """The person whose password this is, or None (unknown id or wrong password alike)."""
        entry = self._entries().get(user_id)
        stored = str(entry.get("password_argon2", "")) if entry else ""
        try:
            _HASHER.verify(stored or _unknown_user_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if entry is None or not stored:
            return None
        roles = frozenset(str(role) for role in entry.get("roles", []))
        name, department = str(entry.get("name", "")), str(entry.get("department", ""))
        return Principal(user_id, name, department, roles)


class TokenIssuer:
    """Signs RS256 access tokens for signed-in people and publishes its public keys (JWKS)."""

    def __init__(self, key_file: Path, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        self._private = _load_or_create_key(key_file)
        public_jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self._private.public_key()))
        self.key_id = _thumbprint(public_jwk)
        self._jwks = {"keys": [{**public_jwk, "kid": self.key_id, "use": "sig", "alg": "RS256"}]}

    def jwks(self) -> dict[str, Any]:
        """The public keys services check this console's tokens with."""
        return self._jwks

    def issue(self, person: Principal, now: datetime, lifetime: timedelta) -> str:
        """An access token naming ``person`` and their roles, valid for ``lifetime``."""
        claims = {
            "sub": person.user_id,
            "name": person.name,
            "department": person.department,
            "roles": sorted(person.roles),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + lifetime,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.key_id})


def _load_or_create_key(path: Path) -> rsa.RSAPrivateKey:
    """The console's signing key from its PEM file, created (mode 0600) on first start."""
    if not path.is_file():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return loaded


def _thumbprint(jwk: dict[str, Any]) -> str:
    """The key id: the JWK's SHA-256 thumbprint (RFC 7638), stable across restarts."""
    import base64
    import hashlib

    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
