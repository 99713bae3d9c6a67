"""Settings every service shares, read from the environment only when a service is built.

Each service subclasses ``ServiceSettings`` and sets its own ``env_prefix`` (``REGISTRY_``,
``INSPECTION_``, ...). The connection settings also answer to their unprefixed names
(``NATS_URL``, ``DATABASE_URL``) as deployment tools set them; the prefixed name wins when both
are present, so one shell can still give each service its own database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["auto", "console", "json"]

# Fields that also answer to an unprefixed environment variable (its name upper-cased).
UNPREFIXED_FIELDS = ("nats_url", "database_url")


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
    data_dir: Path = Field(default=Path("var"), description="folder for SQLite files")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file <data_dir>/<service_name>.db",
    )
    stream_replicas: int = Field(
        default=1, ge=1, le=5, description="JetStream replicas of the streams (3 in a cluster)"
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    log_format: LogFormat = "auto"
    log_level: str = "INFO"
    shutdown_timeout: float = Field(
        default=10.0, description="seconds in-flight requests get to finish on shutdown"
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


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of a SQLite file (absolute paths get four slashes)."""
    return f"sqlite:///{path.as_posix()}"
