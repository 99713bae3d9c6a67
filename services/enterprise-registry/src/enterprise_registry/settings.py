"""Settings of the enterprise-registry service, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ccc_shared.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings of the enterprise-registry service, read from `REGISTRY_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    service_name: str = "enterprise-registry"
    http_port: int = 8101
    expiry_sweep_minutes: float = Field(default=60, gt=0)
