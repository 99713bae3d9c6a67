"""Enforcement's application: the kernel's, with the verbs only enforcement has.

Numbering a new case, a case's state, the working-day calendar and the informant seal; the
kernel builds it from the service's record (``main.service``), and the routes, reactions and
the deadline sweep all work on this one object.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.eventstore.envelope import EventMetadata, RecordedEvent
from ccc_shared.sealing import Seal
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_commands import OpenCase, case_number
from enforcement.domain.case_state import Case
from enforcement.projections.read_models import next_case_sequence
from enforcement.settings import Settings


class Enforcement(Application[Settings]):
    """The enforcement application: the kernel's, with numbering, case states and the seal."""

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The working-day calendar the deadlines are counted on."""
        return self.settings.calendar()

    @cached_property
    def informant_seal(self) -> Seal:
        """The keys informants are sealed with (Order 117 art 48)."""
        return self.settings.informant_seal()

    def open_case(
        self, fields: dict[str, Any], metadata: EventMetadata, conn: Connection
    ) -> tuple[str, list[RecordedEvent]]:
        """Open a clue under the next case number of the year (numbered in ``conn``)."""
        today = self.today()
        number = case_number(today.year, next_case_sequence(conn, today.year))
        command = OpenCase(case_number=number, **fields)
        return number, self.execute(command, metadata, conn=conn, today=today)

    def case_state(self, number: str, conn: Connection) -> Case | None:
        """A case as its events describe it (None if never opened)."""
        state: Case | None = self.state_of("case", number, conn)
        return state
