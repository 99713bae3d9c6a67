"""A small OpenID Connect provider for tests, over real HTTP on 127.0.0.1 with real RSA keys.

It publishes its keys as a JWKS (rotatable while it runs), answers discovery, and runs the
authorization code flow with PKCE (S256 only) for one person the test chooses, signing the ID and
access tokens RS256 as the bureau's provider would. Anything else it refuses.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from ccc_shared.runtime.auth import Principal


@dataclass
class SigningKey:
    """An RSA key pair with its key id, as a provider holds it."""

    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK naming its kid."""
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def sign(self, claims: dict[str, Any]) -> str:
        """An RS256 JWT of ``claims`` signed with this key, naming it in the header."""
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid})


@dataclass
class Provider:
    """The provider's state: its published keys, the person who signs in, issued codes."""

    issuer: str = ""
    audience: str = "ccc-supervision"
    client_id: str = "ccc-console"
    client_secret: str = "console-secret"
    keys: list[SigningKey] = field(default_factory=lambda: [SigningKey()])
    person: Principal | None = None
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    jwks_served: int = 0  # how many times the key set was fetched
    jwks_requested: threading.Event = field(default_factory=threading.Event)  # one has arrived
    jwks_gate: threading.Event | None = None  # when set: key sets are held until it opens

    @property
    def jwks_url(self) -> str:
        """Where the provider publishes its keys."""
        return f"{self.issuer}/jwks.json"

    def rotate(self, *, keep_old: bool = True) -> SigningKey:
        """Publish a new signing key (first in the set), keeping or dropping the old ones."""
        new = SigningKey()
        with self.lock:
            self.keys = [new, *self.keys] if keep_old else [new]
        return new

    def token_for(self, person: Principal, *, lifetime: timedelta = timedelta(hours=1)) -> str:
        """An access token for ``person`` signed with the current key."""
        now = datetime.now(UTC)
        return self.keys[0].sign(
            {"iss": self.issuer, "aud": self.audience, "sub": person.user_id,
             "name": person.name, "department": person.department,
             "roles": sorted(person.roles), "iat": now, "exp": now + lifetime}
        )  # fmt: skip

    def discovery(self) -> dict[str, Any]:
        """The OpenID Connect discovery document."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": self.jwks_url,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect back to the client with a code (the person is signed in already)."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            raise ValueError("unknown client or response type")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            raise ValueError("PKCE S256 is required")
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        back = {"code": code, "state": query.get("state", "")}
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def exchange(self, form: dict[str, str]) -> dict[str, Any]:
        """Tokens for a code, once the client proves the PKCE verifier and its secret."""
        request = self.codes.pop(form.get("code", ""), None)
        if request is None or form.get("client_id", self.client_id) != self.client_id:
            raise ValueError("unknown code")
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != request["code_challenge"]:
            raise ValueError("the code verifier does not match the challenge")
        if form.get("redirect_uri") != request["redirect_uri"] or self.person is None:
            raise ValueError("wrong redirect")
        now = datetime.now(UTC)
        id_token = self.keys[0].sign(
            {"iss": self.issuer, "aud": self.client_id, "sub": self.person.user_id,
             "name": self.person.name, "nonce": request.get("nonce"), "iat": now,
             "exp": now + timedelta(minutes=10)}
        )  # fmt: skip
        return {
            "access_token": self.token_for(self.person),
            "id_token": id_token,
            "token_type": "Bearer",
            "expires_in": 3600,
        }


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read answers, not access logs."""

        def _answer(self, status: int, body: dict[str, Any], location: str = "") -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._answer(200, provider.discovery())
            elif parts.path == "/jwks.json":
                provider.jwks_requested.set()
                if provider.jwks_gate is not None:
                    provider.jwks_gate.wait(30)  # a slow provider, released by the test
                with provider.lock:
                    provider.jwks_served += 1
                    self._answer(200, {"keys": [key.public_jwk() for key in provider.keys]})
            elif parts.path == "/authorize":
                try:
                    self._answer(302, {}, provider.authorize(query))
                except (KeyError, ValueError) as error:
                    self._answer(400, {"error": "invalid_request", "detail": str(error)})
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
                form.setdefault("client_id", client_id)
                form.setdefault("client_secret", secret)
            if self.path != "/token" or form.get("client_secret") != provider.client_secret:
                self._answer(401, {"error": "invalid_client"})
                return
            try:
                self._answer(200, provider.exchange(form))
            except ValueError as error:
                self._answer(400, {"error": "invalid_grant", "detail": str(error)})

    return Handler


@contextmanager
def running_provider(provider: Provider | None = None) -> Iterator[Provider]:
    """Serve ``provider`` on a free port of 127.0.0.1 until the block ends."""
    provider = provider or Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
