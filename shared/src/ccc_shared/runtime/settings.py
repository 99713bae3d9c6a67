"""Settings every service shares, read from the environment only when a service is built.

Each service subclasses ``ServiceSettings`` and sets its own ``env_prefix`` (``REGISTRY_``,
``INSPECTION_``, ...). The connection settings also answer to their unprefixed names
(``NATS_URL``, ``DATABASE_URL``) as deployment tools set them; the prefixed name wins when both
are present, so one shell can still give each service its own database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["auto", "console", "json"]

# Fields that also answer to an unprefixed environment variable (its name upper-cased).
UNPREFIXED_FIELDS = (
    "nats_url",
    "database_url",
    "nats_user",
    "nats_password",
    "nats_creds",
    "auth_jwt_key",
    "auth_users_file",
    "auth_jwks_url",
    "auth_issuer",
    "auth_audience",
)


class ServiceSettings(BaseSettings):
    """Base settings of one service process: bus, store, HTTP and logging."""

    model_config = SettingsConfigDict(
        populate_by_name=True,
        extra="ignore",
        validate_default=True,
    )

    service_name: str = "ccc-service"
    nats_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NATS_URL"),
        description="NATS server URL; None starts an embedded nats-server",
    )
    nats_user: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NATS_USER"),
        description="the service's own NATS user (deploy/nats: one per service)",
    )
    nats_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NATS_PASSWORD"), description="its password"
    )
    nats_creds: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("NATS_CREDS"),
        description="a NATS credentials file (JWT + nkey seed), instead of user and password",
    )
    nats_inbox_prefix: str | None = Field(
        default=None,
        description="reply subject prefix; default _INBOX_<nats_user> when a user is set",
    )
    auth_jwt_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("AUTH_JWT_KEY"),
        description="HS256 key checking bearer JWTs (at least 32 bytes)",
    )
    auth_jwks_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("AUTH_JWKS_URL"),
        description="the identity provider's JWKS: RS256 bearer tokens are checked against it",
    )
    auth_jwks_refresh_cooldown_seconds: float = Field(
        default=30.0, ge=0, description="least time between refetches for an unknown key id"
    )
    auth_issuer: str = Field(
        default="ccc-supervision", validation_alias=AliasChoices("AUTH_ISSUER")
    )
    auth_audience: str = Field(
        default="ccc-supervision", validation_alias=AliasChoices("AUTH_AUDIENCE")
    )
    auth_users_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("AUTH_USERS_FILE"),
        description="users file of opaque tokens (TOML/JSON, SHA-256 of each token)",
    )
    data_dir: Path = Field(default=Path("var"), description="folder for SQLite files")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file <data_dir>/<service_name>.db",
    )
    stream_replicas: int = Field(
        default=1, ge=1, le=5, description="JetStream replicas of the streams (3 in a cluster)"
    )
    max_event_bytes: int | None = Field(
        default=None,
        ge=1024,
        description="largest event stored, in bytes on the bus; None: the server's max_payload"
        " less room for headers (an event the bus cannot carry is never stored)",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    log_format: LogFormat = "auto"
    log_level: str = "INFO"
    shutdown_timeout: float = Field(
        default=10.0, description="seconds in-flight requests get to finish on shutdown"
    )
    max_request_body_bytes: int = Field(
        default=256 * 1024, ge=1024, description="largest request body a route takes (JSON)"
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="largest body of an upload route (a document, a feed file)",
    )
    ready_stall_seconds: float = Field(
        default=30.0,
        gt=0,
        description="GET /ready answers 503 once the relay (with events waiting) or a consumer"
        " has made no progress for this long",
    )
    startup_wait_seconds: float = Field(
        default=120.0,
        ge=0,
        description="how long start-up keeps retrying the bus (connect, streams, consumers)",
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Let the connection fields answer to both ``<PREFIX>NAME`` and ``NAME``."""
        super().__pydantic_init_subclass__(**kwargs)
        prefix = cls.model_config.get("env_prefix") or ""
        for name in UNPREFIXED_FIELDS:
            env_name = name.upper()
            choices = [f"{prefix}{env_name}", env_name] if prefix else [env_name]
            cls.model_fields[name].validation_alias = AliasChoices(*choices)
        cls.model_rebuild(force=True)

    @model_validator(mode="after")
    def _default_database_url(self) -> Self:
        """Point an unset database URL at the service's own SQLite file."""
        if not self.database_url:
            self.database_url = sqlite_url(self.data_dir / f"{self.service_name}.db")
        return self

    def nats_connect_options(self) -> dict[str, Any]:
        """The credentials and inbox prefix ``nats.connect`` takes (empty without a user)."""
        options: dict[str, Any] = {}
        if self.nats_creds is not None:
            options["user_credentials"] = str(self.nats_creds)
        if self.nats_user:
            options["user"] = self.nats_user
            if self.nats_password is not None:
                options["password"] = self.nats_password.get_secret_value()
        prefix = self.nats_inbox_prefix or (f"_INBOX_{self.nats_user}" if self.nats_user else None)
        if prefix:  # the permissions let each user read only replies under its own prefix
            options["inbox_prefix"] = prefix
        return options


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of a SQLite file (absolute paths get four slashes)."""
    return f"sqlite:///{path.as_posix()}"
