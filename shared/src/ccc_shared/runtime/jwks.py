"""RS256 bearer tokens checked against an identity provider's published keys (JWKS).

In production the bureau's OpenID Connect provider signs the tokens; in the embedded default the
console signs them for the people it signs in. Either way a service holds no signing secret: it
fetches the public keys from ``jwks_url`` (cached; a token naming a key it has not seen makes it
fetch again, at most once per cooldown), so keys can rotate without restarting anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from ccc_shared.runtime.auth import AuthenticationError, Principal, principal_from_claims

RS256 = "RS256"


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

    def __init__(self, settings: JwksSettings) -> None:
        self.settings = settings
        self._keys = jwt.PyJWKClient(
            settings.url,
            cache_keys=False,
            lifespan=settings.cache_seconds,
            cooldown_duration=settings.refresh_cooldown_seconds,
            timeout=settings.timeout_seconds,
        )

    def verify(self, token: str) -> Principal:
        """The principal an RS256 token names, or AuthenticationError saying why it is refused."""
        try:
            key = self._keys.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as error:
            raise AuthenticationError(
                "keys_unavailable", "the identity provider's keys cannot be fetched"
            ) from error
        except jwt.PyJWKClientError as error:
            raise AuthenticationError(
                "unknown_key", "the token is signed with a key the provider does not publish"
            ) from error
        except jwt.DecodeError as error:
            raise AuthenticationError("malformed", "the token is not a well-formed JWT") from error
        return principal_from_claims(self._decode(token, key.key))

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
