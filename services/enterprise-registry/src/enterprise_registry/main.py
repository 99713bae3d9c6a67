"""Entry point of the enterprise-registry service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ccc_contracts import enforcement, inspection
from ccc_contracts import registry as contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.runtime.kernel import Subscription, build_kernel_app
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from enterprise_registry.api import bodies, certificates, enterprises, maintenance, quality_inputs
from enterprise_registry.api import feed as certificate_feed
from enterprise_registry.api.context import install_error_handlers
from enterprise_registry.application.expiry import ExpirySweep
from enterprise_registry.application.handling import bureau_today
from enterprise_registry.application.policies import outside_event_handler
from enterprise_registry.domain.body_events import body_events
from enterprise_registry.domain.enterprise_events import private_events
from enterprise_registry.projections.read_models import migrate


class Settings(ServiceSettings):
    """Settings of the enterprise-registry service, read from `REGISTRY_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    service_name: str = "enterprise-registry"
    http_port: int = 8101
    expiry_sweep_minutes: float = Field(default=60, gt=0)


def stored_events() -> EventRegistry:
    """Every event the registry stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(private_events)
    stored.include(body_events)
    return stored


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """Wire the enterprise-registry service; the only place that builds its parts.

    ``clock`` gives the bureau's date to the expiry sweep, every command over HTTP and the
    classification of outside events (tests pass a fixed one).
    """

    def subscriptions(store: SqlEventStore) -> list[Subscription]:
        handler = outside_event_handler(store, settings.service_name, clock)
        return [
            Subscription(name=f"registry-{context}", context=context,
                         subjects=[f"ccc.{context}.>"], handler=handler)
            for context in (inspection.CONTEXT, enforcement.CONTEXT)
        ]  # fmt: skip

    app = build_kernel_app(
        settings,
        context=contracts.CONTEXT,
        registry=stored_events(),
        subscriptions=subscriptions,
        routers=[
            enterprises.router,
            certificates.router,
            certificate_feed.router,
            bodies.router,
            quality_inputs.router,
            maintenance.router,
        ],
        migrations=[migrate],
        upload_routes=certificate_feed.UPLOAD_ROUTES,
    )
    install_error_handlers(app)
    app.state.clock = clock
    sweep = ExpirySweep(app.state.kernel.store, settings.service_name, clock)
    maintenance.install_expiry_sweep(app, sweep, settings.expiry_sweep_minutes)
    return app


def main() -> int:
    """Run the enterprise-registry service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
