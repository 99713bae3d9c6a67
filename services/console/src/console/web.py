"""What every page needs: the signed-in person, CSRF checks, the language, and rendering.

The session lives in a signed cookie (Starlette's SessionMiddleware: HttpOnly, SameSite=Lax,
Secure when served over TLS); it holds the person, their access token, when it expires, and a
per-session CSRF token that every form must send back (synchronizer token pattern, OWASP CSRF
cheat sheet). Nothing of the bureau's records is kept here.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ccc_audit.services import access_table
from ccc_shared.runtime.access import acting_role, allowed_roles
from ccc_shared.runtime.auth import Principal
from console.backend import RefusedError
from console.labels import label
from console.messages import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, refusal_key, translate

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LANGUAGE_COOKIE = "ccc_lang"


class SignInNeededError(Exception):
    """The page needs a signed-in person; ``expired`` when their session ran out."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("sign-in needed")
        self.expired = expired


# who may do what, as the services decide it: their rows and the shared ones
ACCESS = access_table()


class CsrfRefusedError(Exception):
    """A form came back without this session's CSRF token."""


@dataclass(frozen=True)
class Person:
    """The signed-in person, with the token the services know them by."""

    user_id: str
    name: str
    department: str
    roles: tuple[str, ...]
    token: str
    expires: float

    def may(self, operation: str, *, query: bool = False) -> bool:
        """Whether the access table lets one of this person's roles do ``operation``."""
        principal = Principal(self.user_id, self.name, self.department, frozenset(self.roles))
        roles = allowed_roles(ACCESS, operation, query=query)
        return acting_role(principal, roles) is not None


def clock(request: Request) -> datetime:
    """Now, from the app's clock (tests move it)."""
    now: Callable[[], datetime] = request.app.state.clock
    return now()


def sign_in_session(request: Request, person: Principal, token: str, expires: datetime) -> None:
    """Start a fresh session for ``person`` (a new CSRF token: no fixation across sign-in)."""
    request.session.clear()
    request.session["person"] = {
        "user_id": person.user_id,
        "name": person.name,
        "department": person.department,
        "roles": sorted(person.roles),
        "token": token,
        "expires": expires.timestamp(),
    }
    request.session["csrf"] = secrets.token_urlsafe(32)


def current_person(request: Request) -> Person:
    """The signed-in person, or SignInNeededError (also when their session has expired)."""
    stored = request.session.get("person")
    if not isinstance(stored, dict):
        raise SignInNeededError()
    if clock(request).timestamp() >= float(stored.get("expires", 0)):
        request.session.clear()
        raise SignInNeededError(expired=True)
    return Person(
        stored["user_id"],
        stored.get("name", ""),
        stored.get("department", ""),
        tuple(stored.get("roles", [])),
        stored["token"],
        float(stored["expires"]),
    )


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> dict[str, Any]:
    """The submitted form, once its CSRF token matches the session's; else CsrfRefusedError."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise CsrfRefusedError()
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefusedError()
    return {key: value for key, value in form.multi_items()}


def language(request: Request) -> str:
    """The person's language: their choice in the cookie, else Chinese."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def render(
    request: Request,
    template: str,
    *,
    person: Person | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the person's language, with the CSRF token for its forms."""
    lang = language(request)
    zone = request.app.state.settings.zone()
    now = clock(request).astimezone(zone)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def refusal_text(refusal: RefusedError) -> str:
        return translate(refusal_key(refusal.status, refusal.reason), lang)

    def fields_text(refusal: RefusedError) -> str:
        """The refused fields, by their labels where the catalogue has them, else by name."""
        names = [
            translate(f"field.{name}", lang) if f"field.{name}" in CATALOGUE else name
            for name in refusal.fields
        ]
        return ("、" if lang == "zh" else ", ").join(names)

    def moment(value: str | None) -> str:
        """An ISO timestamp in the bureau's zone, with the zone named."""
        if not value:
            return ""
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(zone).strftime("%Y-%m-%d %H:%M") + f" ({zone.key})"

    values = {
        "request": request,
        "t": t,
        "lang": lang,
        "label": lambda value: label(value, lang),
        "refusal_text": refusal_text,
        "fields_text": fields_text,
        "moment": moment,
        "person": person,
        "csrf": csrf_token(request),
        "today": now.date().isoformat(),
        "here": quote(request.url.path),
        "password_signin": request.app.state.passwords is not None,
        "oidc": getattr(request.app.state, "oauth", None) is not None,
        **context,
    }
    return TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)


async def timeline_of(request: Request, person: Person, credit_code: str, key: str) -> list[Any]:
    """The dossier entries (every service's records) about one certificate, case or inspection
    of an enterprise, newest first; empty when the dossier cannot be read."""
    backend = request.app.state.backend
    try:
        dossier = await backend.get("registry", f"/enterprises/{credit_code}/dossier", person.token)
    except RefusedError:
        return []
    entries = [e for e in dossier["entries"] if e["aggregate_id"] == key or key in e["summary"]]
    return list(reversed(entries))


def redirect(path: str) -> RedirectResponse:
    """See-other to a page on this site (after a form)."""
    return RedirectResponse(local_path(path), status_code=303)
