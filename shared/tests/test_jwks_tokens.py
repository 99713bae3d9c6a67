"""RS256 tokens checked against the identity provider's JWKS, fetched over HTTP (keys rotate).

The keys are fetched without holding up the event loop: while a slow provider has not answered,
the loop goes on serving others, and requests arriving meanwhile share that one fetch.

Given a provider serving its public keys on 127.0.0.1 (real RSA keys, real HTTP), a service
accepts the tokens it signs and refuses any other: an unknown key, a forged signature, another
issuer or audience, an expired token, or an HS256 token made with the provider's public key.
When the provider rotates its key, tokens signed with the new key are still accepted.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from ccc_shared.runtime.auth import AuthenticationError, Authenticator, Principal, authenticator_for
from ccc_shared.runtime.jwks import JwksSettings, JwksVerifier
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.testing.identity_provider import Provider, SigningKey, running_provider

pytestmark = pytest.mark.integration
OFFICER = Principal.of("officer-3", "李强", "enforcement-section", "case_officer")


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


def authenticator(provider: Provider, cooldown: float = 0.0) -> Authenticator:
    settings = JwksSettings(provider.jwks_url, provider.issuer, provider.audience,
                            refresh_cooldown_seconds=cooldown)  # fmt: skip
    return Authenticator(jwks=JwksVerifier(settings))


async def refusal(authenticator: Authenticator, token: str) -> str:
    with pytest.raises(AuthenticationError) as raised:
        await authenticator.authenticate(f"Bearer {token}")
    assert raised.value.status_code == 401
    return raised.value.reason


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(provider: Provider, **changes: object) -> dict[str, object]:
    now = datetime.now(UTC)
    base: dict[str, object] = {
        "iss": provider.issuer, "aud": provider.audience, "sub": "officer-3", "name": "李强",
        "roles": ["case_officer"], "iat": now, "exp": now + timedelta(minutes=5),
    }  # fmt: skip
    return {**base, **changes}


async def test_a_token_the_provider_signed_names_its_person(provider: Provider) -> None:
    principal = await authenticator(provider).authenticate(f"Bearer {provider.token_for(OFFICER)}")
    assert (principal.user_id, principal.name, principal.roles) == (
        "officer-3",
        "李强",
        frozenset({"case_officer"}),
    )


async def test_a_token_from_a_key_the_provider_does_not_publish_is_refused(
    provider: Provider,
) -> None:
    stranger = SigningKey()
    assert await refusal(authenticator(provider), stranger.sign(claims(provider))) == "unknown_key"


async def test_a_token_signed_by_another_key_under_a_published_kid_is_refused(
    provider: Provider,
) -> None:
    impostor = SigningKey(kid=provider.keys[0].kid)
    token = impostor.sign(claims(provider))
    assert await refusal(authenticator(provider), token) == "invalid_signature"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"iss": "https://someone-else.example"}, "invalid"),
        ({"aud": "another-system"}, "invalid"),
        ({"exp": datetime.now(UTC) - timedelta(minutes=5)}, "expired"),
    ],
    ids=["other issuer", "other audience", "expired"],
)
async def test_a_token_not_meant_for_the_bureau_or_out_of_date_is_refused(
    provider: Provider, change: dict[str, object], reason: str
) -> None:
    token = provider.keys[0].sign(claims(provider, **change))
    assert await refusal(authenticator(provider), token) == reason


async def test_an_hs256_token_made_with_the_providers_public_key_is_refused(
    provider: Provider,
) -> None:
    public_pem = (
        provider.keys[0]
        .private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": provider.keys[0].kid}
    body = {**claims(provider), "iat": 1, "exp": 2_000_000_000}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{b64(mac)}"  # PyJWT itself refuses to make one
    assert await refusal(authenticator(provider), forged) == "unknown"


async def test_after_the_provider_rotates_its_key_new_tokens_are_still_accepted(
    provider: Provider,
) -> None:
    checker = authenticator(provider)
    assert (
        await checker.authenticate(f"Bearer {provider.token_for(OFFICER)}")
    ).user_id == "officer-3"
    provider.rotate(keep_old=False)
    rotated = provider.token_for(OFFICER)
    assert jwt.get_unverified_header(rotated)["kid"] == provider.keys[0].kid
    assert (await checker.authenticate(f"Bearer {rotated}")).user_id == "officer-3"


async def test_an_unknown_kid_does_not_make_the_service_refetch_within_the_cooldown(
    provider: Provider,
) -> None:
    checker = authenticator(provider, cooldown=300)
    assert (
        await checker.authenticate(f"Bearer {provider.token_for(OFFICER)}")
    ).user_id == "officer-3"
    provider.rotate(keep_old=False)
    assert await refusal(checker, provider.token_for(OFFICER)) == "unknown_key"


async def test_the_provider_being_unreachable_is_said_as_such() -> None:
    with running_provider() as gone:
        url, issuer = gone.jwks_url, gone.issuer
        token = gone.token_for(OFFICER)
    settings = JwksSettings(url, issuer, "ccc-supervision", timeout_seconds=2)
    assert await refusal(Authenticator(jwks=JwksVerifier(settings)), token) == "keys_unavailable"


async def test_a_service_configured_with_a_jwks_url_checks_rs256_and_still_hs256(
    provider: Provider,
) -> None:
    settings = ServiceSettings(
        auth_jwks_url=provider.jwks_url, auth_issuer=provider.issuer,
        auth_audience=provider.audience, auth_jwt_key="k" * 40,
        auth_jwks_refresh_cooldown_seconds=0,
    )  # fmt: skip
    checker = authenticator_for(settings)
    assert (
        await checker.authenticate(f"Bearer {provider.token_for(OFFICER)}")
    ).user_id == "officer-3"
    hs256 = jwt.encode(claims(provider), "k" * 40, algorithm="HS256")
    assert (await checker.authenticate(f"Bearer {hs256}")).user_id == "officer-3"


async def test_fetching_the_keys_does_not_hold_up_the_event_loop(provider: Provider) -> None:
    # The provider holds its answer until the loop itself opens the gate: a fetch that blocked
    # the loop would keep the gate shut until its own timeout (keys_unavailable).
    provider.jwks_gate = threading.Event()
    settings = JwksSettings(provider.jwks_url, provider.issuer, provider.audience,
                            timeout_seconds=10)  # fmt: skip
    checker = Authenticator(jwks=JwksVerifier(settings))

    async def open_the_gate_once_asked() -> None:
        assert await asyncio.to_thread(provider.jwks_requested.wait, 10)
        assert provider.jwks_gate is not None
        provider.jwks_gate.set()

    principal, _ = await asyncio.gather(
        checker.authenticate(f"Bearer {provider.token_for(OFFICER)}"), open_the_gate_once_asked()
    )
    assert principal.user_id == "officer-3"


async def test_requests_arriving_during_a_fetch_share_it(provider: Provider) -> None:
    provider.jwks_gate = threading.Event()
    checker = authenticator(provider, cooldown=0)
    tokens = [provider.token_for(OFFICER) for _ in range(10)]

    async def open_the_gate_once_asked() -> None:
        await asyncio.to_thread(provider.jwks_requested.wait, 10)
        assert provider.jwks_gate is not None
        provider.jwks_gate.set()

    *people, _ = await asyncio.gather(
        *(checker.authenticate(f"Bearer {token}") for token in tokens), open_the_gate_once_asked()
    )
    assert {person.user_id for person in people} == {"officer-3"}
    assert provider.jwks_served == 1
