"""Entry point of the inspection service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic_settings import SettingsConfigDict

from ccc_shared.contracts import inspection as contracts
from ccc_shared.runtime.kernel import build_kernel_app
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings of the inspection service, read from `INSPECTION_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="INSPECTION_")

    service_name: str = "inspection"
    http_port: int = 8102


def create_app(settings: Settings) -> FastAPI:
    """Wire the inspection service; the only place that builds its parts."""
    return build_kernel_app(settings, context=contracts.CONTEXT, registry=contracts.registry)


def main() -> int:
    """Run the inspection service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
