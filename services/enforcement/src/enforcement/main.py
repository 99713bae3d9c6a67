"""Entry point of the enforcement service: settings, the one wiring place, and `main()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import structlog
from fastapi import FastAPI
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from ccc_contracts import enforcement as contracts
from ccc_contracts import inspection as inspection_contracts
from ccc_contracts.base import EventRegistry
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import bureau_today
from ccc_shared.runtime.kernel import Subscription, build_kernel_app
from ccc_shared.runtime.periodic import install_periodic
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.sealing import Seal
from enforcement.api import cases, documents, intake, oversight, reads
from enforcement.api.context import install_error_handlers
from enforcement.application.handling import Enforcement
from enforcement.application.policies import inspection_event_handler
from enforcement.application.sweep import DeadlineSweep
from enforcement.domain import case_events, complaints, guidance
from enforcement.domain.calendar import CHINA, WorkingCalendar
from enforcement.projections.read_models import migrate

log = structlog.get_logger("enforcement")


class Settings(ServiceSettings):
    """Settings of the enforcement service, read from `ENFORCEMENT_*` environment variables.

    The holiday table (days off on weekdays) and the make-up working days (weekend days worked)
    come from the State Council's yearly notice; give them as JSON lists of ISO dates. Given,
    they replace the built-in table (2025 and 2026) whole: list every year still needed.
    """

    model_config = SettingsConfigDict(env_prefix="ENFORCEMENT_")

    service_name: str = "enforcement"
    http_port: int = 8103
    holidays: list[date] = Field(default_factory=lambda: sorted(CHINA.holidays))
    makeup_working_days: list[date] = Field(
        default_factory=lambda: sorted(CHINA.makeup_working_days)
    )
    deadline_sweep_minutes: float = Field(default=60.0, gt=0)
    # Fernet keys sealing informants (the first seals, all open); empty: the data folder's key file
    informant_keys: list[SecretStr] = Field(default_factory=list)

    def informant_seal(self) -> Seal:
        """The informant keys from the settings, or from (new) ``<data dir>/informant.keys``."""
        key_file = self.data_dir / "informant.keys"
        return Seal.configured(self.informant_keys, key_file, "ENFORCEMENT_INFORMANT_KEYS")

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar the deadlines are counted on."""
        return WorkingCalendar(frozenset(self.holidays), frozenset(self.makeup_working_days))


def stored_events() -> EventRegistry:
    """Every event the enforcement service stores: its contract events and its private ones."""
    stored = EventRegistry()
    stored.include(contracts.registry)
    stored.include(case_events.private_events)
    stored.include(complaints.private_events)
    stored.include(guidance.private_events)
    return stored


def create_app(settings: Settings, *, clock: Callable[[], date] = bureau_today) -> FastAPI:
    """Wire the enforcement service; the only place that builds its parts.

    ``clock`` gives the bureau's date to every command, reaction and sweep (tests pass their own).
    """
    built: list[Enforcement] = []

    def subscriptions(store: SqlEventStore) -> list[Subscription]:
        enforcement = Enforcement(store, settings.calendar(), clock)
        built.append(enforcement)
        context = inspection_contracts.CONTEXT
        return [
            Subscription(
                name="enforcement-inspection",
                context=context,
                subjects=[f"ccc.{context}.>"],
                handler=inspection_event_handler(enforcement, settings.service_name),
            )
        ]

    app = build_kernel_app(
        settings,
        context=contracts.CONTEXT,
        registry=stored_events(),
        subscriptions=subscriptions,
        routers=[cases.router, reads.router, intake.router, documents.router, oversight.router],
        migrations=[migrate],
        upload_routes=documents.UPLOAD_ROUTES,
    )
    install_error_handlers(app)
    app.state.enforcement = built[0]
    app.state.informant_seal = settings.informant_seal()
    sweep = DeadlineSweep(built[0], settings.service_name)
    app.state.deadline_sweep = sweep
    install_periodic(app, "deadline-sweep", sweep, settings.deadline_sweep_minutes * 60)
    missing = settings.calendar().uncovered_ahead(clock())
    if missing:
        log.warning("holiday table incomplete", uncovered_years=missing,
                    advice=oversight.uncovered_warning(missing))  # fmt: skip
    return app


def main() -> int:
    """Run the enforcement service until SIGTERM or SIGINT."""
    return run_service(create_app, Settings())


if __name__ == "__main__":
    raise SystemExit(main())
