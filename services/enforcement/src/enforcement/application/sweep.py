"""The deadline sweep: every passed deadline is recorded once as ``DeadlineMissed`` (escalated).

Runs periodically (``install_periodic``) and on an operator's request. Candidates come from the
read model (a case's earliest deadline not yet recorded missed, ``sweep_due_on``); each case is
judged on its event-sourced state in its own transaction, so a second run, or a run racing
another, records nothing twice (the domain refuses a deadline already recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import structlog
from sqlalchemy import select

from ccc_shared.domain import DomainError
from ccc_shared.eventstore.envelope import EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
from enforcement.application.app import Enforcement
from enforcement.domain.case_commands import RecordDeadlineMissed
from enforcement.domain.case_deadlines import missed
from enforcement.projections.tables import cases

log = structlog.get_logger("enforcement.sweep")


@dataclass
class SweepResult:
    """What one sweep found: the deadlines it recorded as missed, by case."""

    day: date
    missed: list[dict[str, str]] = field(default_factory=list)


class DeadlineSweep:
    """Finds passed deadlines and records each once."""

    def __init__(self, app: Enforcement) -> None:
        self.app = app
        self.actor = app.actor

    def __call__(self) -> SweepResult:
        """Sweep as of the service's today (the periodic entry point)."""
        return self.run(self.app.today())

    def run(self, today: date) -> SweepResult:
        """Record every deadline that passed before ``today`` and is not yet recorded."""
        result = SweepResult(today)
        query = select(cases.c.case_number).where(cases.c.sweep_due_on < today)
        with self.app.store.reading() as conn:
            numbers = [row.case_number for row in conn.execute(query.order_by(cases.c.case_number))]
        for number in numbers:
            try:
                self._sweep_case(number, today, result)
            except (DomainError, ConcurrencyError) as error:  # changed meanwhile: next round
                log.warning("deadline sweep skipped a case", case_number=number, error=str(error))
        if result.missed:
            log.info("deadlines missed", day=str(today), count=len(result.missed))
        return result

    def _sweep_case(self, number: str, today: date, result: SweepResult) -> None:
        with self.app.store.transaction() as conn:
            state = self.app.case_state(number, conn)
            if state is None:
                return
            for deadline in missed(state, today):
                command = RecordDeadlineMissed(
                    case_number=number, deadline=deadline.kind, due_on=deadline.due_on
                )
                self.app.execute(command, EventMetadata(actor=self.actor), conn=conn, today=today)
                result.missed.append(
                    {
                        "case_number": number,
                        "deadline": deadline.kind,
                        "due_on": str(deadline.due_on),
                    }
                )


def sweep_deadlines(app: Enforcement) -> SweepResult:
    """The periodic job: record every deadline passed as of the service's today."""
    return DeadlineSweep(app)()
