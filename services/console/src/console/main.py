"""Entry point of the console: settings, the one wiring place, and `main()`.

The console is a backend-for-frontend: server-rendered pages that call the four services' HTTP
APIs with the signed-in person's token. It keeps no record of the bureau's own; its only files
are its signing key and session secret (created in the data folder on first start).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict
from starlette.middleware.sessions import SessionMiddleware

from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from console import pages
from console.backend import Backend
from console.identity import PasswordBook, TokenIssuer
from console.pages.oidc import install_oidc
from console.throttle import SignInGuard
from console.web import CsrfRefusedError, SignInNeededError, render

STATIC = Path(__file__).parent / "static"


class Settings(ServiceSettings):
    """Settings of the console, read from `CONSOLE_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_")

    service_name: str = "console"
    http_port: int = 8100
    registry_url: str = "http://127.0.0.1:8101"
    inspection_url: str = "http://127.0.0.1:8102"
    enforcement_url: str = "http://127.0.0.1:8103"
    notification_url: str = "http://127.0.0.1:8104"
    session_minutes: int = Field(default=480, ge=1, le=24 * 60, description="a working day")
    session_secret: SecretStr | None = Field(
        default=None, description="signs session cookies; empty: <data dir>/console-session.key"
    )
    signing_key_file: Path | None = Field(
        default=None, description="RSA key signing access tokens; empty: <data dir>/console.pem"
    )
    cookie_secure: bool | None = Field(
        default=None, description="Secure cookies; empty: when public_url is https"
    )
    public_url: str = Field(default="", description="the URL people open, e.g. https://ccc.bureau")
    time_zone: str = "Asia/Shanghai"
    oidc_issuer: str = Field(default="", description="the bureau's OpenID Connect provider")
    oidc_client_id: str = "ccc-console"
    oidc_client_secret: SecretStr | None = None
    oidc_scope: str = "openid profile"

    def zone(self) -> ZoneInfo:
        """The bureau's time zone, in which pages show every moment."""
        return ZoneInfo(self.time_zone)

    def secure_cookies(self) -> bool:
        """Whether cookies carry Secure (served over TLS)."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.public_url.startswith("https://")

    def service_urls(self) -> dict[str, str]:
        """Base URL of each service the console calls."""
        return {
            "registry": self.registry_url,
            "inspection": self.inspection_url,
            "enforcement": self.enforcement_url,
            "notification": self.notification_url,
        }

    def session_key(self) -> str:
        """The session-signing secret: configured, or the data folder's (created, mode 0600)."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        path = self.data_dir / "console-session.key"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()


def create_app(settings: Settings, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """Build the console: sessions, pages, static files, and the public keys of its tokens."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backend = Backend(settings.service_urls())
        app.state.bus, app.state.bus_lock = None, asyncio.Lock()  # the streams, read on demand
        yield
        await app.state.backend.close()
        if app.state.bus is not None:
            await app.state.bus.close()

    app = FastAPI(title="console", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.issuer = TokenIssuer(
        settings.signing_key_file or settings.data_dir / "console.pem",
        settings.auth_issuer,
        settings.auth_audience,
    )
    users_file = settings.auth_users_file
    app.state.passwords = PasswordBook(users_file) if users_file else None
    app.state.signin_guard = SignInGuard()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_key(),
        session_cookie="ccc_session",
        max_age=settings.session_minutes * 60,
        same_site="lax",
        https_only=settings.secure_cookies(),
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/health")
    async def health() -> dict[str, str]:
        """Alive."""
        return {"service": "console", "status": "ok"}

    @app.get("/.well-known/jwks.json")
    async def jwks() -> dict[str, object]:
        """The public keys the services check the console's access tokens with."""
        keys: dict[str, object] = app.state.issuer.jwks()
        return keys

    @app.exception_handler(SignInNeededError)
    async def sign_in_first(request: Request, error: SignInNeededError) -> Response:
        target = "/signin?expired=1" if error.expired else "/signin"
        if request.method == "GET":
            target += ("&" if "?" in target else "?") + f"next={request.url.path}"
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRefusedError)
    async def csrf_refused(request: Request, _error: CsrfRefusedError) -> HTMLResponse:
        return render(request, "csrf.html", status_code=403)

    install_oidc(app)
    for router in pages.routers():
        app.include_router(router)
    return app


def main() -> int:
    """Serve the console until SIGTERM or Ctrl-C."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
