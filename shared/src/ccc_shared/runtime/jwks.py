"""RS256 bearer tokens checked against an identity provider's published keys (JWKS).

In production the bureau's OpenID Connect provider signs the tokens; in the embedded default the
console signs them for the people it signs in. Either way a service holds no signing secret: it
fetches the public keys from ``jwks_url`` and caches them for ``cache_seconds``; a token naming
a key it has not seen makes it fetch again, at most once per ``refresh_cooldown_seconds``, so
keys can rotate without restarting anything.

The fetch is asynchronous (httpx): a service's event loop keeps answering other requests while
the keys are on their way, and requests arriving meanwhile wait for the same fetch rather than
each starting their own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import structlog

from ccc_shared.runtime.auth import AuthenticationError, Principal, principal_from_claims

RS256 = "RS256"
log = structlog.get_logger("ccc.jwks")


@dataclass(frozen=True)
class JwksSettings:
    """Where the provider's keys are, and what its tokens must say (issuer, audience)."""

    url: str
    issuer: str
    audience: str
    leeway: float = 30.0
    cache_seconds: float = 300.0
    refresh_cooldown_seconds: float = 30.0
    timeout_seconds: float = 5.0


class JwksVerifier:
    """Checks RS256 tokens with the key their ``kid`` names in the provider's JWKS."""

    def __init__(
        self, settings: JwksSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._keys: dict[str, Any] = {}  # kid -> public key
        self._fetched_at: float | None = None  # when the keys above were fetched
        self._attempted_at: float | None = None  # the last fetch, whatever came of it
        self._fetches = 0  # fetches made (a caller that waited for one does not repeat it)
        self._fetching = asyncio.Lock()

    async def verify(self, token: str) -> Principal:
        """The principal an RS256 token names, or AuthenticationError saying why it is refused."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.DecodeError as error:
            raise AuthenticationError("malformed", "the token is not a well-formed JWT") from error
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("unknown_key", "the token names no key (kid)")
        return principal_from_claims(self._decode(token, await self._key(kid)))

    async def _key(self, kid: str) -> Any:
        """The public key ``kid`` names: cached, or fetched (once per cooldown when unknown)."""
        if not self._fresh():
            await self._refresh(reason="expired")
        elif kid not in self._keys and self._may_refetch():
            await self._refresh(reason="unknown kid")
        if not self._fresh():
            raise AuthenticationError(
                "keys_unavailable", "the identity provider's keys cannot be fetched"
            )
        key = self._keys.get(kid)
        if key is None:
            raise AuthenticationError(
                "unknown_key", "the token is signed with a key the provider does not publish"
            )
        return key

    def _fresh(self) -> bool:
        fetched = self._fetched_at
        return fetched is not None and self._clock() - fetched < self.settings.cache_seconds

    def _may_refetch(self) -> bool:
        attempted = self._attempted_at
        cooldown = self.settings.refresh_cooldown_seconds
        return attempted is None or self._clock() - attempted >= cooldown

    async def _refresh(self, *, reason: str) -> None:
        """Fetch the key set; callers arriving during a fetch wait for it rather than repeat it."""
        seen = self._fetches
        async with self._fetching:
            if self._fetches != seen:
                return  # a fetch ended while this caller waited for it: take its answer
            self._attempted_at = self._clock()
            try:
                async with httpx.AsyncClient(timeout=self.settings.timeout_seconds) as client:
                    response = await client.get(self.settings.url)
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as error:
                log.warning("identity provider keys not fetched", url=self.settings.url,
                            reason=reason, error=str(error) or type(error).__name__)  # fmt: skip
                if reason == "expired":  # keys past their cache time are not trusted
                    self._keys, self._fetched_at = {}, None
            else:
                self._keys = {jwk.key_id: jwk.key for jwk in keys.keys if jwk.key_id}
                self._fetched_at = self._clock()
            finally:
                self._fetches += 1

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[RS256],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise AuthenticationError("expired", "the token has expired") from error
        except jwt.InvalidSignatureError as error:
            raise AuthenticationError(
                "invalid_signature", "the token's signature does not match its key"
            ) from error
        except jwt.DecodeError as error:
            raise AuthenticationError("malformed", "the token is not a well-formed JWT") from error
        except jwt.InvalidTokenError as error:
            raise AuthenticationError("invalid", f"the token is not valid here: {error}") from error
        return claims


def token_algorithm(token: str) -> str | None:
    """The ``alg`` a JWT's header names (unverified), or None when the header is unreadable."""
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.DecodeError:
        return None
    return algorithm if isinstance(algorithm, str) else None
