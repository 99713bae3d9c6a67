"""The reconciliation's alarm handled: a violation kept without a case gets its case by hand.

When the policy could not open a violation's case (``policies.py``), the violation stays seen
without one and ``GET /reconciliation`` lists it. A case officer opens its case from what was
recorded about it (its enterprise, its kind, the day enforcement received it) through the same
opening the policy uses; the case number is recorded against the violation in the same
transaction, so the entry leaves the list, or, when anything is refused, nothing changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import structlog

from ccc_contracts.envelope import EventMetadata, RecordedEvent
from ccc_shared.domain import DomainError
from ccc_shared.handling import UnknownAggregateError
from enforcement.application.app import Enforcement
from enforcement.projections.read_models import give_violation_its_case, seen_violation

log = structlog.get_logger("enforcement.reconciliation")


def violation_case(
    *,
    violation_id: str,
    enterprise_credit_code: str,
    kind: str,
    found_on: date,
    certificate_number: str | None = None,
) -> dict[str, Any]:
    """The clue a violation opens: about its enterprise, its kind as the problem."""
    return {
        "source": "violation",
        "violation_id": violation_id,
        "subject_kind": "enterprise",
        "subject_credit_code": enterprise_credit_code,
        "problem": kind,
        "certificate_number": certificate_number,
        "found_on": found_on,
    }


def open_orphan_case(
    app: Enforcement, violation_id: str, metadata: EventMetadata
) -> tuple[str, list[RecordedEvent]]:
    """Open the case of a violation seen without one and record it against the violation.

    The clue counts from the day enforcement received the violation (SAMR Order 2 art 18:
    自发现线索或者收到材料之日起). A violation never seen is unknown (404); one that has its
    case, or gets it meanwhile, is refused (409); a refused opening leaves it listed.
    """
    with app.store.transaction() as conn:
        seen = seen_violation(conn, violation_id)
        if seen is None:
            raise UnknownAggregateError(f"violation {violation_id} was never received")
        if seen["case_number"] is not None:
            raise DomainError(
                f"violation {violation_id} already has case {seen['case_number']}:"
                " it is not waiting in the reconciliation",
                code="violation.case_already_opened",
            )
        fields = violation_case(
            violation_id=violation_id,
            enterprise_credit_code=seen["enterprise_credit_code"],
            kind=seen["kind"],
            found_on=seen["received_on"],
        )
        number, events = app.open_case(fields, metadata, conn)
        if not give_violation_its_case(conn, violation_id, number):
            raise DomainError(
                f"violation {violation_id} was given its case meanwhile",
                code="violation.case_already_opened",
            )
    log.info("case opened for a violation without one", violation_id=violation_id, case=number)
    return number, events
