"""Signing in through the bureau's OpenID Connect provider: authorization code with PKCE (S256).

The console sends the person to the provider, takes the code back, exchanges it (with the PKCE
verifier and its client secret) for an ID token, which authlib checks against the provider's
keys and the nonce, and an access token, which the console checks exactly as the services do
(RS256 against the provider's JWKS) before keeping it in the session to call them with.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ccc_shared.runtime.auth import AuthenticationError
from ccc_shared.runtime.jwks import JwksSettings, JwksVerifier
from console.web import clock, local_path, redirect, render, sign_in_session

router = APIRouter()
log = structlog.get_logger("console.oidc")
PROVIDER = "bureau"


def install_oidc(app: FastAPI) -> None:
    """Register the provider from the settings (``CONSOLE_OIDC_*``), when one is configured."""
    settings = app.state.settings
    app.state.oauth = None
    if not settings.oidc_issuer:
        return
    oauth = OAuth()
    secret = settings.oidc_client_secret
    oauth.register(
        PROVIDER,
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scope, "code_challenge_method": "S256"},
    )
    app.state.oauth = oauth
    app.state.access_tokens = None  # the provider's JWKS verifier, built on first sign-in


@router.get("/signin/oidc", response_model=None)
async def start_oidc(request: Request, next: str = "/") -> Response:
    """Send the person to the provider's sign-in page (state, nonce and PKCE challenge kept)."""
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return redirect("/signin")
    request.session["after_signin"] = local_path(next)
    callback = str(request.url_for("finish_oidc"))
    public = request.app.state.settings.public_url.rstrip("/")
    if public:  # behind a proxy the console's own idea of its address may be wrong
        callback = f"{public}/signin/oidc/callback"
    response: RedirectResponse = await oauth.create_client(PROVIDER).authorize_redirect(
        request, callback
    )
    return response


@router.get("/signin/oidc/callback", response_model=None)
async def finish_oidc(request: Request) -> Response:
    """Take the provider's code back: exchange it, check the tokens, start the session."""
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return redirect("/signin")
    target = local_path(request.session.pop("after_signin", "/"))
    try:
        token = await oauth.create_client(PROVIDER).authorize_access_token(request)
        metadata = await oauth.create_client(PROVIDER).load_server_metadata()
        verifier = access_token_verifier(request, str(metadata["jwks_uri"]))
        person = await verifier.verify(token["access_token"])
    except (OAuthError, AuthenticationError, KeyError) as error:
        log.info("sign-in through the provider refused", error=str(error))
        error_key = "signin.provider_refused"
        return render(
            request, "signin.html", next=target, note=None, error=error_key, status_code=401
        )
    now = clock(request)
    lifetime = timedelta(minutes=request.app.state.settings.session_minutes)
    expires = datetime.fromtimestamp(float(token.get("expires_at") or 0), UTC)
    expires = min(now + lifetime, expires) if token.get("expires_at") else now + lifetime
    sign_in_session(request, person, token["access_token"], expires)
    log.info("signed in through the provider", user_id=person.user_id)
    return redirect(target)


def access_token_verifier(request: Request, jwks_uri: str) -> JwksVerifier:
    """The check the services make of an access token (same issuer, audience and keys)."""
    verifier: JwksVerifier | None = request.app.state.access_tokens
    if verifier is None:
        settings = request.app.state.settings
        verifier = JwksVerifier(
            JwksSettings(jwks_uri, settings.oidc_issuer, settings.auth_audience,
                         refresh_cooldown_seconds=settings.auth_jwks_refresh_cooldown_seconds)
        )  # fmt: skip
        request.app.state.access_tokens = verifier
    return verifier
