"""Signing in (user id and password against the users file), signing out, the language switch."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, Signer

from console.identity import PasswordBook
from console.messages import LANGUAGES
from console.throttle import SignInGuard
from console.web import (
    LANGUAGE_COOKIE,
    check_csrf,
    clock,
    local_path,
    redirect,
    render,
    sign_in_session,
)

router = APIRouter()
log = structlog.get_logger("console.signin")
Form = Annotated[dict[str, object], Depends(check_csrf)]
DEVICE_COOKIE = "ccc_device"  # signed: the user id this browser signed in as
DEVICE_DAYS = 90


@router.get("/signin", response_class=HTMLResponse)
def signin_page(
    request: Request,
    next: str = "/",
    expired: bool = False,
    signed_out: bool = False,
) -> HTMLResponse:
    """The sign-in form (a note when the session expired or the person signed out)."""
    note = "signin.expired" if expired else "signin.signed_out" if signed_out else None
    oidc = request.app.state.oauth is not None
    return render(request, "signin.html", next=local_path(next), note=note, error=None, oidc=oidc)


@router.post("/signin", response_model=None)
def sign_in(request: Request, form: Form) -> Response:
    """Check the password (unless too many wrong ones came before); on success start a session
    holding the person's access token."""
    user_id = str(form.get("user_id", "")).strip()[:100]
    password = str(form.get("password", ""))[:1000]
    target = local_path(str(form.get("next", "/")))
    guard: SignInGuard = request.app.state.signin_guard
    address = request.client.host if request.client else "unknown"
    now = clock(request)
    known = known_device(request) == user_id.lower()
    wait = guard.wait(user_id, address, now, known_device=known)
    if wait:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        log.warning("sign-in throttled", user_id=user_id, address=address, minutes=minutes)
        response = render(
            request, "signin.html", next=target, note=None, error="signin.throttled",
            minutes=minutes, status_code=429,
        )  # fmt: skip
        response.headers["Retry-After"] = str(math.ceil(wait.total_seconds()))
        return response
    passwords: PasswordBook | None = request.app.state.passwords
    person = passwords.sign_in(user_id, password) if passwords and user_id else None
    if person is None:
        guard.failed(user_id, address, now)
        log.info("sign-in refused", user_id=user_id, address=address)
        return render(
            request, "signin.html", next=target, note=None, error="signin.wrong", status_code=401
        )
    guard.succeeded(user_id, address)
    lifetime = timedelta(minutes=request.app.state.settings.session_minutes)
    token = request.app.state.issuer.issue(person, now, lifetime)
    sign_in_session(request, person, token, now + lifetime)
    log.info("signed in", user_id=person.user_id, roles=sorted(person.roles))
    done = redirect(target)
    remember_device(request, done, person.user_id)
    return done


def known_device(request: Request) -> str | None:
    """The user id this browser has signed in as before (a cookie the console signed), if any."""
    signed = request.cookies.get(DEVICE_COOKIE)
    if not signed:
        return None
    try:
        return (
            Signer(request.app.state.settings.session_key(), salt=DEVICE_COOKIE)
            .unsign(signed)
            .decode()
        )
    except BadSignature:
        return None


def remember_device(request: Request, response: Response, user_id: str) -> None:
    """Mark this browser as one the person signs in from (it is not locked out with the id)."""
    signer = Signer(request.app.state.settings.session_key(), salt=DEVICE_COOKIE)
    response.set_cookie(
        DEVICE_COOKIE, signer.sign(user_id.lower()).decode(), max_age=DEVICE_DAYS * 24 * 3600,
        httponly=True, samesite="lax", secure=request.app.state.settings.secure_cookies(),
    )  # fmt: skip


@router.post("/signout")
def sign_out(request: Request, _form: Form) -> RedirectResponse:
    """End the session."""
    request.session.clear()
    return redirect("/signin?signed_out=1")


@router.get("/language/{chosen}")
def switch_language(
    chosen: str, next: Annotated[str, Query(max_length=500)] = "/"
) -> RedirectResponse:
    """Switch the pages to Chinese or English and go back where the person was."""
    response = redirect(next)
    if chosen in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
        )
    return response
