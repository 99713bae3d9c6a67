"""The Trace aggregate: an unqualified product found at a seller, traced back to its maker.

The seed asks the bureau to "trace unqualified products back to where they were made"
(追根溯源). A trace records where the product was found, what it is, what is wrong with it,
and its manufacturer's credit code and administrative division code (GB/T 2260). A maker
outside the bureau's jurisdiction makes the violation ``external``: enforcement refers it and
notification tells the responsible bureau. A maker inside gets an inspection of its own
(the application schedules it under ``manufacturer_inspection_id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.base import EventData
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.inspection import ViolationFound

from .base import Command, DomainError, State
from .findings import RULES
from .inspection_events import PRIVATE

DIVISION = r"^[0-9]{6}$"
# What is wrong with the product, by the finding rule it breaks (``findings.RULES``).
TraceProblem = Literal["no_certificate", "certificate_invalid", "product_mismatch", "mark_misused"]


def within(division: str, jurisdiction: str) -> bool:
    """Whether a division code lies in the jurisdiction (330102 in 330100, 330102 in 330102).

    Trailing ``00`` pairs of the jurisdiction's code are its wider levels (city, province).
    """
    prefix = jurisdiction
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return division.startswith(prefix)


class RecordUnqualifiedProduct(Command):
    """Record an unqualified product found at a seller and trace it to its manufacturer."""

    trace_id: text.Identifier
    found_at: text.Address = Field(description="the seller or place where it was found")
    product_category: text.Identifier
    model: text.ProductModel
    problem: TraceProblem
    description: text.OptionalReason = ""
    manufacturer_credit_code: CreditCode
    manufacturer_jurisdiction: str = Field(pattern=DIVISION)
    bureau_jurisdiction: str = Field(pattern=DIVISION)


@PRIVATE.register
class UnqualifiedProductTraced(EventData):
    """An unqualified product found at a seller was traced to its manufacturer."""

    event_type = "UnqualifiedProductTraced"
    trace_id: str
    found_at: str
    found_on: date
    product_category: str
    model: str
    problem: TraceProblem
    description: str = ""
    manufacturer_credit_code: str
    manufacturer_jurisdiction: str
    outside_jurisdiction: bool
    manufacturer_inspection_id: str | None = None


class Trace(State):
    """A recorded trace and where it led: an external violation, or an inspection of the maker."""

    trace_id: str
    found_at: str
    found_on: date
    product_category: str
    model: str
    problem: TraceProblem
    description: str = ""
    manufacturer_credit_code: str
    manufacturer_jurisdiction: str
    outside_jurisdiction: bool
    manufacturer_inspection_id: str | None = None
    violation_id: str | None = None


TraceEvent = UnqualifiedProductTraced | ViolationFound


def manufacturer_inspection_id(trace_id: str) -> str:
    """The inspection of the manufacturer a trace inside the jurisdiction schedules."""
    return f"trace-{trace_id}"


def product_text(command: RecordUnqualifiedProduct) -> str:
    """The product and its problem, as evidence names them."""
    return f"product {command.product_category} model {command.model}: {command.problem}"


def decide(state: Trace | None, command: RecordUnqualifiedProduct, today: date) -> list[TraceEvent]:
    """The trace, and for a maker outside the jurisdiction the external violation."""
    if state is not None:
        raise DomainError(
            f"trace {command.trace_id}: is already recorded",
            code="trace.already_recorded",
            fields=["trace_id"],
        )
    outside = not within(command.manufacturer_jurisdiction, command.bureau_jurisdiction)
    traced = UnqualifiedProductTraced(
        trace_id=command.trace_id,
        found_at=command.found_at,
        found_on=today,
        product_category=command.product_category,
        model=command.model,
        problem=command.problem,
        description=command.description,
        manufacturer_credit_code=command.manufacturer_credit_code,
        manufacturer_jurisdiction=command.manufacturer_jurisdiction,
        outside_jurisdiction=outside,
        manufacturer_inspection_id=None
        if outside
        else manufacturer_inspection_id(command.trace_id),
    )
    if not outside:
        return [traced]
    _, article = RULES[command.problem]
    detail = [command.description] if command.description else []
    found = ViolationFound(
        violation_id=f"{command.trace_id}/V1",
        enterprise_credit_code=command.manufacturer_credit_code,
        kind="external",
        article=article,
        evidence=[f"rule {command.problem}", product_text(command), *detail,
                  f"found at {command.found_at} on {today}",
                  f"manufacturer in division {command.manufacturer_jurisdiction}"],
        found_at=command.found_at,
        external_jurisdiction=command.manufacturer_jurisdiction,
    )  # fmt: skip
    return [traced, found]


def evolve(state: Trace | None, event: TraceEvent) -> Trace:
    """The trace after one of its events."""
    match event:
        case UnqualifiedProductTraced():
            return Trace(**event.model_dump())
        case ViolationFound() if state is not None:
            return state.model_copy(update={"violation_id": event.violation_id})
    raise DomainError("trace: event before it was recorded", code="event.out_of_order")


def replay(events: Iterable[TraceEvent]) -> Trace | None:
    """The trace its events describe."""
    state: Trace | None = None
    for event in events:
        state = evolve(state, event)
    return state
