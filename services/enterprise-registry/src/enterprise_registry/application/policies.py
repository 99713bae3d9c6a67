"""Reactions to the other services' contract events: into the dossier, into the classification.

The subscription runner calls ``handle_outside_event`` once per event inside its transaction;
the classification inputs go through the same ``execute`` as HTTP commands, on that
transaction, so the dossier entry, the new events and the runner's checkpoint commit together.
An event about an enterprise that is not (yet) registered still enters its dossier; it counts
towards the class only from registration on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection

from ccc_contracts.enforcement import CaseClosed
from ccc_contracts.envelope import Actor, EventMetadata, RecordedEvent
from ccc_contracts.inspection import ViolationFound
from ccc_shared.eventstore.sql import SqlEventStore
from enterprise_registry.application.handling import (
    BUREAU_TIME,
    UnknownAggregateError,
    bureau_today,
    execute,
)
from enterprise_registry.domain.enterprise_commands import (
    EnterpriseCommand,
    NoteCase,
    NoteViolation,
)
from enterprise_registry.projections.dossier import add_entries

OutsideHandler = Callable[[RecordedEvent, Connection], None]


def classification_input(event: RecordedEvent) -> EnterpriseCommand | None:
    """The enterprise command an outside event amounts to, if it counts towards the class."""
    day = event.occurred_at.astimezone(BUREAU_TIME).date()
    match event.data:
        case ViolationFound() as found:
            return NoteViolation(
                credit_code=found.enterprise_credit_code,
                violation_id=found.violation_id,
                found_on=day,
            )
        case CaseClosed() as closed:
            # the contract carries no opening date yet: the case counts from its closure
            return NoteCase(
                credit_code=closed.subject_credit_code,
                case_number=closed.case_number,
                opened_on=min(closed.closed_on, day),
            )
    return None


def outside_event_handler(
    store: SqlEventStore, service_name: str, clock: Callable[[], date] = bureau_today
) -> OutsideHandler:
    """The runner's handler for inspection and enforcement events, classifying as of ``clock()``."""
    actor = Actor.service(service_name)

    def handle_outside_event(event: RecordedEvent, conn: Connection) -> None:
        """Enter the event into the dossier and note it against the enterprise's class."""
        add_entries([event], conn)
        command = classification_input(event)
        if command is None:
            return
        with contextlib.suppress(UnknownAggregateError):
            metadata = EventMetadata.caused_by(event, actor)
            execute(store, command, metadata, conn=conn, today=clock())

    return handle_outside_event
