"""Entry point of the inspection service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ccc_shared.contracts import inspection as contracts
from ccc_shared.contracts import registry as registry_contracts
from ccc_shared.contracts.base import EventRegistry
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.runtime.kernel import Subscription, build_kernel_app
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from inspection.api import inspections
from inspection.api.context import install_error_handlers
from inspection.application.handling import bureau_today
from inspection.application.policies import registry_event_handler
from inspection.domain.inspection_commands import PRIVATE
from inspection.projections.read_models import migrate


class Settings(ServiceSettings):
    """Settings of the inspection service, read from `INSPECTION_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="INSPECTION_")

    service_name: str = "inspection"
    http_port: int = 8102
    surprise_inspection_within_days: int = Field(default=7, ge=0)


def stored_events() -> EventRegistry:
    """Every event the inspection service stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(PRIVATE)
    return stored


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """Wire the inspection service; the only place that builds its parts.

    ``clock`` gives the bureau's date to the reactions (tests may pass a fixed one).
    """

    def subscriptions(store: SqlEventStore) -> list[Subscription]:
        handler = registry_event_handler(
            store, settings.service_name, settings.surprise_inspection_within_days, clock
        )
        return [
            Subscription(
                name="inspection-registry",
                context=registry_contracts.CONTEXT,
                subjects=[f"ccc.{registry_contracts.CONTEXT}.>"],
                handler=handler,
            )
        ]

    app = build_kernel_app(
        settings,
        context=contracts.CONTEXT,
        registry=stored_events(),
        subscriptions=subscriptions,
        routers=[inspections.router],
        migrations=[migrate],
    )
    install_error_handlers(app)
    return app


def main() -> int:
    """Run the inspection service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
