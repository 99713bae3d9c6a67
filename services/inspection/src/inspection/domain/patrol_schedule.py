"""From the patrol plan to inspections: which patrols to schedule, under which ids, and re-planning.

The plan (``patrol_plan``) says when each certified enterprise is next due; this module turns
that into ``ScheduleInspection`` commands with deterministic ids (``patrol_id``: enterprise
plus the planned due day), so running the generator twice, or on two replicas, schedules each
patrol once (a day planned again after its patrol was cancelled takes the next free id,
``later_id``). An enterprise with an open patrol gets no second one. A new class moves the next
due day; an open planned patrol that has not started is then cancelled and the new one
scheduled (``replan``). An enterprise never patrolled is due at once whatever its class.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ccc_contracts.registry import SupervisionClass

from .inspection_commands import CancelInspection, ScheduleInspection
from .patrol_plan import KeyFlags, PlannedEnterprise, next_due

PATROL_PREFIX = "patrol-"
# Until the registry classifies a certified enterprise it is patrolled quarterly, as class C:
# closer than the better classes until its class is known (the bureau's choice, written once).
UNCLASSIFIED: SupervisionClass = "C"


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the local projections know of an enterprise, as the plan needs it."""

    credit_code: str
    supervision_class: SupervisionClass | None
    key_enterprise: bool
    region: str
    certified_categories: tuple[str, ...]
    patrols: tuple[date, ...] = ()


@dataclass(frozen=True)
class OpenPatrol:
    """An open (scheduled, assigned or started) patrol of an enterprise."""

    inspection_id: str
    status: str


def key_flags(
    facts: EnterpriseFacts, key_products: Iterable[str], key_regions: Iterable[str]
) -> KeyFlags:
    """The "three key points" of an enterprise: the registry's flag, the provincial lists."""
    return KeyFlags(
        key_enterprise=facts.key_enterprise,
        key_product=bool(set(facts.certified_categories) & set(key_products)),
        key_region=facts.region in set(key_regions),
    )


def planned(
    facts: EnterpriseFacts, key_products: Iterable[str], key_regions: Iterable[str]
) -> PlannedEnterprise:
    """The enterprise as the plan sees it (unclassified counts as ``UNCLASSIFIED``)."""
    return PlannedEnterprise(
        credit_code=facts.credit_code,
        supervision_class=facts.supervision_class or UNCLASSIFIED,
        flags=key_flags(facts, key_products, key_regions),
        patrols=facts.patrols,
    )


def patrol_id(credit_code: str, planned_due: date) -> str:
    """The id of the patrol planned for an enterprise on a day: the same on every run."""
    return f"{PATROL_PREFIX}{credit_code}-{planned_due:%Y%m%d}"


def is_planned_for(inspection_id: str, planned_id: str) -> bool:
    """Whether a patrol id is the one planned (``planned_id``) or a later one for its day."""
    return inspection_id == planned_id or inspection_id.startswith(f"{planned_id}-")


def later_id(planned_id: str, attempt: int) -> str:
    """The id of the ``attempt``-th patrol planned for one day (the first is ``planned_id``).

    A day planned again after its patrol was cancelled (a class changed twice) needs a new id.
    """
    return planned_id if attempt == 1 else f"{planned_id}-{attempt}"


def planned_due(enterprise: PlannedEnterprise, today: date) -> date:
    """The day the enterprise's next patrol is due by the plan (today if never patrolled)."""
    last = max(enterprise.patrols, default=None)
    return next_due(last, enterprise.supervision_class, enterprise.flags, today=today)


def patrol_command(enterprise: PlannedEnterprise, due: date, today: date) -> ScheduleInspection:
    """The patrol the plan asks for, due on its planned day (today if that has passed)."""
    flag_count = enterprise.flags.count()
    flags = f", {flag_count} key flag(s)" if flag_count else ""
    return ScheduleInspection(
        inspection_id=patrol_id(enterprise.credit_code, due),
        enterprise_credit_code=enterprise.credit_code,
        kind="patrol",
        due_on=max(due, today),
        cause=f"patrol plan: class {enterprise.supervision_class}{flags}, due {due}",
    )


def patrols_to_schedule(
    enterprises: Iterable[PlannedEnterprise],
    open_patrols: dict[str, list[OpenPatrol]],
    today: date,
    until: date,
) -> list[ScheduleInspection]:
    """The patrols falling due by ``until`` for the enterprises with no open patrol."""
    commands = []
    for enterprise in enterprises:
        if open_patrols.get(enterprise.credit_code):
            continue
        due = planned_due(enterprise, today)
        if due <= until:
            commands.append(patrol_command(enterprise, due, today))
    return sorted(commands, key=lambda command: (command.due_on, command.inspection_id))


def replan(
    enterprise: PlannedEnterprise,
    open_patrols: list[OpenPatrol],
    today: date,
    until: date,
    reason: str,
) -> list[CancelInspection | ScheduleInspection]:
    """After a class change: cancel planned patrols not started whose day moved, plan the new one.

    A patrol scheduled by hand, or already started, stands; so does an open patrol of an
    enterprise never patrolled (due at once whatever its class). With no patrol left open,
    the new one is scheduled if it falls due within the horizon.
    """
    due = planned_due(enterprise, today)
    new_id = patrol_id(enterprise.credit_code, due)
    stale = [
        patrol
        for patrol in open_patrols
        if enterprise.patrols
        and patrol.inspection_id.startswith(PATROL_PREFIX)
        and not is_planned_for(patrol.inspection_id, new_id)
        and patrol.status in ("scheduled", "assigned")
    ]
    standing = [patrol for patrol in open_patrols if patrol not in stale]
    orders: list[CancelInspection | ScheduleInspection] = [
        CancelInspection(
            inspection_id=patrol.inspection_id, reason=f"re-planned: {reason}; next due {due}"
        )
        for patrol in stale
    ]
    if not standing and due <= until:
        orders.append(patrol_command(enterprise, due, today))
    return orders
