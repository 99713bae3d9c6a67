"""Entry point of the inspection service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ccc_contracts import enforcement as enforcement_contracts
from ccc_contracts import inspection as contracts
from ccc_contracts import registry as registry_contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.runtime.kernel import Subscription, build_kernel_app
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from inspection.api import campaigns, inspections, patrol_plan, traceability
from inspection.api.context import install_error_handlers
from inspection.application.enforcement_reactions import enforcement_event_handler
from inspection.application.handling import bureau_today
from inspection.application.planner import CampaignDeadlines, PatrolPlanner, PlanSettings
from inspection.application.policies import registry_event_handler
from inspection.application.traceability import TraceSettings
from inspection.domain.inspection_commands import PRIVATE
from inspection.projections.read_models import migrate


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


def stored_events() -> EventRegistry:
    """Every event the inspection service stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(PRIVATE)
    return stored


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """Wire the inspection service; the only place that builds its parts.

    ``clock`` gives the bureau's date to the reactions and jobs (tests may pass a fixed one).
    """
    plan = PlanSettings(
        horizon_days=settings.patrol_horizon_days,
        key_products=tuple(settings.key_products),
        key_regions=tuple(settings.key_regions),
    )
    planners: list[PatrolPlanner] = []

    def subscriptions(store: SqlEventStore) -> list[Subscription]:
        planner = PatrolPlanner(store, settings.service_name, clock, plan)
        planners.append(planner)
        registry_handler = registry_event_handler(
            store, settings.service_name, settings.surprise_inspection_within_days, clock, planner
        )
        enforcement_handler = enforcement_event_handler(
            store, settings.service_name, settings.complaint_followup_within_days, clock
        )
        return [
            Subscription(
                name="inspection-registry",
                context=registry_contracts.CONTEXT,
                subjects=[f"ccc.{registry_contracts.CONTEXT}.>"],
                handler=registry_handler,
            ),
            Subscription(
                name="inspection-enforcement",
                context=enforcement_contracts.CONTEXT,
                subjects=[f"ccc.{enforcement_contracts.CONTEXT}.>"],
                handler=enforcement_handler,
            ),
        ]

    app = build_kernel_app(
        settings,
        context=contracts.CONTEXT,
        registry=stored_events(),
        subscriptions=subscriptions,
        routers=[inspections.router, patrol_plan.router, campaigns.router, traceability.router],
        migrations=[migrate],
    )
    install_error_handlers(app)
    store = app.state.kernel.store
    app.state.clock = clock
    app.state.trace_settings = TraceSettings(
        settings.jurisdiction, settings.trace_inspection_within_days
    )
    deadlines = CampaignDeadlines(store, settings.service_name, clock)
    patrol_plan.install_plan_jobs(app, planners[0], deadlines, settings.patrol_plan_every_minutes)
    return app


def main() -> int:
    """Run the inspection service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
