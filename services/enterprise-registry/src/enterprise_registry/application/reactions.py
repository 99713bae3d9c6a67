"""Reactions to the other services' contract events: into the dossier, into the classification.

``REACTIONS`` is the table the kernel subscribes from: each event type, the reactions it sets
off in order (the consumers are filtered to exactly these types). The subscription runner runs
them once per event inside its transaction; the classification inputs go through the same
``execute`` as HTTP commands, on that transaction, so the dossier entry, the new events and the
runner's checkpoint commit together. An event about an enterprise that is not (yet) registered
still enters its dossier; it counts towards the class only from registration on.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Connection

from ccc_shared.application import Application
from ccc_shared.contracts.base import EventData
from ccc_shared.contracts.enforcement import CaseClosed
from ccc_shared.contracts.inspection import ViolationFound
from ccc_shared.eventstore.envelope import RecordedEvent
from ccc_shared.handling import UnknownAggregateError, bureau_day
from ccc_shared.service import Reaction
from enterprise_registry.domain.enterprise_commands import (
    EnterpriseCommand,
    NoteCase,
    NoteViolation,
)
from enterprise_registry.projections.dossier import OUTSIDE_ENTRIES, add_entries


def classification_input(event: RecordedEvent) -> EnterpriseCommand | None:
    """The enterprise command an outside event amounts to, if it counts towards the class."""
    day = bureau_day(event.occurred_at)
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


def enter_into_dossier(app: Application[Any], event: RecordedEvent, conn: Connection) -> None:
    """Every check and every step of a case is recorded in the enterprise's dossier."""
    add_entries([event], conn)


def note_against_class(app: Application[Any], event: RecordedEvent, conn: Connection) -> None:
    """A violation found or a case closed counts towards the enterprise's class."""
    command = classification_input(event)
    if command is None:
        return
    with contextlib.suppress(UnknownAggregateError):  # not registered: counts from registration
        app.execute(command, app.caused_by(event), conn=conn)


REACTIONS: dict[type[EventData] | str, tuple[Reaction, ...]] = {
    **{event_type: (enter_into_dossier,) for event_type in OUTSIDE_ENTRIES},
    ViolationFound: (enter_into_dossier, note_against_class),
    CaseClosed: (enter_into_dossier, note_against_class),
}
