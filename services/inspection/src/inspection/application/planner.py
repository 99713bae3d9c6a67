"""The periodic jobs: patrols generated from the plan, and campaigns' deadlines enforced.

Both read the read models and act through ``execute``, so they are idempotent by construction:
a patrol's id is its enterprise plus its planned day (``patrol_schedule.patrol_id``), and a
campaign raises each producer once (its state remembers). A run missed while the service was
down is made up by the next one; two runs at once lose the concurrency check and write nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import structlog
from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.eventstore.envelope import Actor, EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
from inspection.application.aggregates import INSPECTION
from inspection.domain import patrol_schedule
from inspection.domain.base import DomainError
from inspection.domain.campaigns import RaiseUncertifiedProducers
from inspection.domain.inspection_commands import ScheduleInspection
from inspection.domain.inspections import OPEN
from inspection.domain.patrol_plan import PlannedEnterprise
from inspection.projections.campaign_queries import campaigns_past_deadline
from inspection.projections.plan_queries import enterprise_facts, open_patrols
from inspection.settings import Settings

log = structlog.get_logger(__name__)

BATCH = 100  # patrols scheduled per transaction


@dataclass(frozen=True)
class PlanSettings:
    """The plan's inputs that are not in the register: the horizon and the provincial lists."""

    horizon_days: int = 14
    key_products: tuple[str, ...] = ()
    key_regions: tuple[str, ...] = ()


def plan_settings(settings: Settings) -> PlanSettings:
    """The plan's inputs from the service's settings."""
    return PlanSettings(
        horizon_days=settings.patrol_horizon_days,
        key_products=tuple(settings.key_products),
        key_regions=tuple(settings.key_regions),
    )


@dataclass
class PatrolPlanner:
    """Schedules the patrols the plan makes due, as the service itself, on the bureau's calendar."""

    app: Application[Settings]
    plan: PlanSettings

    @classmethod
    def of(cls, app: Application[Settings]) -> PatrolPlanner:
        """The planner of an application, on its settings' plan."""
        return cls(app, plan_settings(app.settings))

    @property
    def actor(self) -> Actor:
        """The service, acting on its own plan."""
        return self.app.actor

    def clock(self) -> date:
        """The bureau's date."""
        return self.app.today()

    def planned(self, conn: Connection, credit_code: str | None = None) -> list[PlannedEnterprise]:
        """Every certified enterprise in the jurisdiction (or one) as the plan sees it."""
        return [
            patrol_schedule.planned(facts, self.plan.key_products, self.plan.key_regions)
            for facts in enterprise_facts(conn, credit_code)
        ]

    def run(self) -> list[str]:
        """Schedule every patrol falling due within the horizon; the ids this run scheduled."""
        today = self.clock()
        until = today + timedelta(days=self.plan.horizon_days)
        with self.app.store.reading() as conn:
            due = patrol_schedule.patrols_to_schedule(
                self.planned(conn), open_patrols(conn), today, until
            )
        metadata = EventMetadata(actor=self.actor)
        scheduled: list[str] = []
        for start in range(0, len(due), BATCH):
            batch = due[start : start + BATCH]
            try:  # a batch per transaction: one commit (one fsync) for many patrols
                scheduled += self.schedule(batch, metadata, today)
            except (DomainError, ConcurrencyError):  # changed meanwhile: one at a time
                for command in batch:
                    try:
                        scheduled += self.schedule([command], metadata, today)
                    except (DomainError, ConcurrencyError) as error:  # done meanwhile
                        log.info("patrol not scheduled", inspection_id=command.inspection_id,
                                 why=str(error))  # fmt: skip
        if scheduled:
            log.info("patrols scheduled", count=len(scheduled), first=scheduled[:5])
        return scheduled

    def schedule(
        self, commands: list[ScheduleInspection], metadata: EventMetadata, today: date
    ) -> list[str]:
        """Schedule these patrols in one transaction (each under its first unused id)."""
        scheduled = []
        with self.app.store.transaction() as conn:
            for command in commands:
                free = self.unused(command, conn)
                if free is not None and self.app.execute(free, metadata, conn=conn, today=today):
                    scheduled.append(free.inspection_id)
        return scheduled

    def replan(
        self, credit_code: str, reason: str, metadata: EventMetadata, conn: Connection
    ) -> list[str]:
        """Re-plan one enterprise after its class changed, in the caller's transaction."""
        today = self.clock()
        until = today + timedelta(days=self.plan.horizon_days)
        changed = []
        for enterprise in self.planned(conn, credit_code):
            patrols = open_patrols(conn, credit_code).get(credit_code, [])
            for order in patrol_schedule.replan(enterprise, patrols, today, until, reason):
                command = (
                    self.unused(order, conn) if isinstance(order, ScheduleInspection) else order
                )
                if command is not None and self.app.execute(
                    command, metadata, conn=conn, today=today
                ):
                    changed.append(command.inspection_id)
        return changed

    def unused(self, command: ScheduleInspection, conn: Connection) -> ScheduleInspection | None:
        """The patrol under the first id of its day never used (None: that day's is open)."""
        for attempt in itertools.count(1):
            candidate = patrol_schedule.later_id(command.inspection_id, attempt)
            state = INSPECTION.state_of(self.app.store, candidate, conn)
            if state is None:
                return command.model_copy(update={"inspection_id": candidate})
            if state.status in OPEN:
                return None
        raise AssertionError("unreachable")


def raise_past_deadlines(app: Application[Any]) -> list[str]:
    """Raise, once each, the producers still making uncertified products after a campaign's
    deadline; the campaigns that raised violations now."""
    today = app.today()
    with app.store.reading() as conn:
        due = campaigns_past_deadline(conn, today)
    raised = []
    for campaign_id in due:
        command = RaiseUncertifiedProducers(campaign_id=campaign_id)
        metadata = EventMetadata(actor=app.actor)
        try:
            if app.execute(command, metadata, today=today):
                raised.append(campaign_id)
        except (DomainError, ConcurrencyError) as error:
            log.info("campaign not raised", campaign_id=campaign_id, why=str(error))
    return raised
