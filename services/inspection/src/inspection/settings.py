"""Settings of the inspection service, read from `INSPECTION_*` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ccc_shared.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings of the inspection service, read from `INSPECTION_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="INSPECTION_")

    service_name: str = "inspection"
    http_port: int = 8102
    surprise_inspection_within_days: int = Field(default=7, ge=0)
    complaint_followup_within_days: int = Field(default=7, ge=0)
    trace_inspection_within_days: int = Field(default=7, ge=0)
    # the bureau's administrative division code (GB/T 2260): makers elsewhere are external
    jurisdiction: str = Field(default="330102", pattern=r"^[0-9]{6}$")
    patrol_plan_every_minutes: float = Field(default=60, gt=0)
    patrol_horizon_days: int = Field(default=14, ge=0)
    # the provincial lists of key products (catalogue codes) and key regions (JSON lists)
    key_products: list[str] = Field(default_factory=list)
    key_regions: list[str] = Field(default_factory=list)
