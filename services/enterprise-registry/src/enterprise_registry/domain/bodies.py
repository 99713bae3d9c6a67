"""A certification body: its registration, findings about its work, and the bureau's ratings.

The bureau meets a body's work through the certificates it issued (patrols, complaints) and
rates it per period; a repeated finding (same id) or an unchanged rating produces no events.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.registry import CertificationBodyRegistered
from enterprise_registry.domain.base import Command, DomainError, State
from enterprise_registry.domain.body_events import (
    BodyFindingRecorded,
    BodyRating,
    CertificationBodyRated,
    FindingSeverity,
    FindingSource,
)

CODE_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # a body's code is a token of its stream's subject
PERIOD_PATTERN = r"^\d{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])))?$"  # 2026, 2026-H1, 2026-Q3, 2026-05
BodyCode = Annotated[str, Field(pattern=CODE_PATTERN)]

BodyEvent = CertificationBodyRegistered | BodyFindingRecorded | CertificationBodyRated


class BodyCommand(Command):
    """An order about one certification body, named by its code."""

    code: BodyCode


class RegisterCertificationBody(BodyCommand):
    """Enter a certification body into the register."""

    name: text.OrganisationName
    accreditation_number: text.Identifier
    contact: text.OptionalContact = ""


class RecordBodyFinding(BodyCommand):
    """Record something found about the body's work (once per finding id)."""

    finding_id: text.Identifier
    found_on: date
    source: FindingSource
    description: text.Description
    severity: FindingSeverity


class RateCertificationBody(BodyCommand):
    """Rate the body's work over a period (a year, half, quarter or month), with reasons."""

    period: str = Field(pattern=PERIOD_PATTERN)
    rating: BodyRating
    reasons: tuple[text.Reason, ...] = Field(min_length=1, max_length=100)


class Finding(State):
    """One finding about the body's work."""

    finding_id: str
    found_on: date
    source: FindingSource
    description: str
    severity: FindingSeverity


class Rating(State):
    """The body's rating for one period."""

    period: str
    rating: BodyRating
    reasons: tuple[str, ...]
    rated_on: date


class CertificationBody(State):
    """A certification body as the bureau knows it."""

    code: str
    name: str
    accreditation_number: str
    contact: str
    registered_on: date
    findings: dict[str, Finding] = Field(default_factory=dict)
    ratings: dict[str, Rating] = Field(default_factory=dict)

    def latest_rating(self) -> Rating | None:
        """The rating of the latest period rated (periods sort as text: 2026 < 2026-H1 < 2027)."""
        return self.ratings[max(self.ratings)] if self.ratings else None


def decide(state: CertificationBody | None, command: BodyCommand, today: date) -> list[BodyEvent]:
    """The events a command produces on this body today, or a DomainError saying why not."""
    code = command.code
    if isinstance(command, RegisterCertificationBody):
        if state is not None:
            raise DomainError(
                f"certification body {code}: is already registered as {state.name}",
                code="body.already_registered",
                fields=["code"],
            )
        return [CertificationBodyRegistered(**command.model_dump(), registered_on=today)]
    if state is None:
        raise DomainError(
            f"certification body {code}: is not registered",
            code="body.not_registered",
            fields=["code"],
        )
    match command:
        case RecordBodyFinding():
            if command.found_on > today:
                raise DomainError(
                    f"certification body {code}: a finding dated {command.found_on}"
                    f" is after today ({today})",
                    code="body.finding_in_future",
                    fields=["found_on"],
                )
            if command.finding_id in state.findings:
                return []
            fields = command.model_dump()
            return [BodyFindingRecorded(**fields)]
        case RateCertificationBody():
            if command.period[:4] > str(today.year):
                raise DomainError(
                    f"certification body {code}: period {command.period} has not begun",
                    code="body.period_not_begun",
                    fields=["period"],
                )
            previous = state.ratings.get(command.period)
            if previous and (previous.rating, previous.reasons) == (
                command.rating,
                command.reasons,
            ):
                return []
            return [
                CertificationBodyRated(
                    code=code,
                    period=command.period,
                    rating=command.rating,
                    reasons=list(command.reasons),
                    previous_rating=previous.rating if previous else None,
                    rated_on=today,
                )
            ]
    raise AssertionError(f"no rule for {type(command).__name__}")


def evolve(state: CertificationBody | None, event: BodyEvent) -> CertificationBody:
    """The body after one of its events."""
    if isinstance(event, CertificationBodyRegistered):
        return CertificationBody(**event.model_dump())
    if state is None:
        raise DomainError(
            f"certification body {event.code}: event before registration", code="event.out_of_order"
        )
    match event:
        case BodyFindingRecorded():
            finding = Finding(**event.model_dump(exclude={"code"}))
            return state.model_copy(
                update={"findings": state.findings | {finding.finding_id: finding}}
            )
        case CertificationBodyRated():
            rating = Rating(
                period=event.period,
                rating=event.rating,
                reasons=tuple(event.reasons),
                rated_on=event.rated_on,
            )
            return state.model_copy(update={"ratings": state.ratings | {event.period: rating}})
    raise AssertionError(f"no rule for {type(event).__name__}")
