"""An enterprise the bureau supervises: its registered facts, its custodian, and its class.

Each command that adds an input to the classification (credit rating, quality status, spot
check, violation, case, scale) is followed by a re-evaluation; ``EnterpriseClassified`` is
emitted only when the class changes. A command that changes nothing produces no events, so an
input redelivered from the bus (same spot-check id, violation id or case number) is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import Field

from ccc_contracts.registry import (
    EnterpriseClassified,
    EnterpriseProfileUpdated,
    EnterpriseRegistered,
    Scale,
    SpotCheckResultRecorded,
    SupervisionClass,
)
from enterprise_registry.domain.base import DomainError, State
from enterprise_registry.domain.classification import (
    ClassificationInputs,
    CreditRating,
    QualityStatus,
    SpotCheckResult,
    classify,
)
from enterprise_registry.domain.enterprise_commands import (
    AssignCustodian,
    ClassifyEnterprise,
    EnterpriseCommand,
    NoteCase,
    NoteViolation,
    RecordCreditRating,
    RecordQualityStatus,
    RecordSpotCheckResult,
    RegisterEnterprise,
    UpdateEnterpriseProfile,
)
from enterprise_registry.domain.enterprise_events import (
    CaseNoted,
    CreditRatingRecorded,
    CustodianAssigned,
    QualityStatusRecorded,
    ViolationNoted,
)

EnterpriseEvent = (
    EnterpriseRegistered
    | EnterpriseProfileUpdated
    | EnterpriseClassified
    | CustodianAssigned
    | CreditRatingRecorded
    | QualityStatusRecorded
    | SpotCheckResultRecorded
    | ViolationNoted
    | CaseNoted
)

PROFILE_FIELDS = (
    "name",
    "address",
    "region",
    "scale",
    "legal_representative",
    "contact",
    "in_jurisdiction",
    "key_enterprise",
    "product_categories",
)


class Enterprise(State):
    """One enterprise: its profile, dossier custodian, classification inputs and class."""

    credit_code: str
    name: str
    address: str
    region: str
    scale: Scale
    legal_representative: str
    contact: str
    in_jurisdiction: bool
    key_enterprise: bool
    product_categories: tuple[str, ...]
    custodian_id: str | None
    registered_on: date
    credit_rating: CreditRating = "unrated"
    quality_status: QualityStatus = "unknown"
    spot_checks: dict[str, SpotCheckResult] = Field(default_factory=dict)
    violations: dict[str, date] = Field(default_factory=dict, description="date found, by id")
    cases: dict[str, date] = Field(default_factory=dict, description="date opened, by number")
    supervision_class: SupervisionClass | None = None

    def classification_inputs(self) -> ClassificationInputs:
        """What the class is computed from."""
        return ClassificationInputs(
            scale=self.scale,
            credit_rating=self.credit_rating,
            quality_status=self.quality_status,
            spot_checks=tuple(self.spot_checks.values()),
            violations_on=tuple(self.violations.values()),
            cases_on=tuple(self.cases.values()),
        )


def decide(
    state: Enterprise | None, command: EnterpriseCommand, today: date
) -> list[EnterpriseEvent]:
    """The events a command produces on this enterprise today, or a DomainError saying why not."""
    code = command.credit_code
    if isinstance(command, RegisterEnterprise):
        if state is not None:
            raise DomainError(
                f"enterprise {code}: is already registered as {state.name}",
                code="enterprise.already_registered",
                fields=["credit_code"],
            )
        fields = command.model_dump(exclude={"product_categories"})
        registered = EnterpriseRegistered(
            **fields, product_categories=list(command.product_categories), registered_on=today
        )
        return reclassified(None, [registered], today)
    if state is None:
        raise DomainError(
            f"enterprise {code}: is not registered",
            code="enterprise.not_registered",
            fields=["credit_code"],
        )
    if (day := input_date(command)) and day > today:
        raise DomainError(
            f"enterprise {code}: an input dated {day} is after today ({today})",
            code="enterprise.date_in_future",
        )
    facts: list[EnterpriseEvent] = []
    match command:
        case UpdateEnterpriseProfile():
            facts = profile_changes(state, command, today)
        case AssignCustodian() if command.custodian_id != state.custodian_id:
            facts = [
                CustodianAssigned(
                    credit_code=code,
                    custodian_id=command.custodian_id,
                    previous_custodian_id=state.custodian_id,
                    assigned_on=today,
                )
            ]
        case RecordCreditRating() if command.rating != state.credit_rating:
            facts = [CreditRatingRecorded(**command.model_dump())]
        case RecordQualityStatus() if command.status != state.quality_status:
            facts = [QualityStatusRecorded(**command.model_dump())]
        case RecordSpotCheckResult() if command.spot_check_id not in state.spot_checks:
            facts = [SpotCheckResultRecorded(**command.model_dump())]
        case NoteViolation() if command.violation_id not in state.violations:
            facts = [ViolationNoted(**command.model_dump())]
        case NoteCase() if command.case_number not in state.cases:
            facts = [CaseNoted(**command.model_dump())]
    if not facts and not isinstance(command, ClassifyEnterprise):
        return []
    return reclassified(state, facts, today)


def input_date(command: EnterpriseCommand) -> date | None:
    """The date an outside input carries, if the command is one."""
    match command:
        case RecordCreditRating():
            return command.rated_on
        case RecordQualityStatus():
            return command.assessed_on
        case RecordSpotCheckResult():
            return command.checked_on
        case NoteViolation():
            return command.found_on
        case NoteCase():
            return command.opened_on
    return None


def profile_changes(
    state: Enterprise, command: UpdateEnterpriseProfile, today: date
) -> list[EnterpriseEvent]:
    """The profile fields the command really changes, as one event (none if nothing changes)."""
    changes = {
        name: getattr(command, name)
        for name in PROFILE_FIELDS
        if getattr(command, name) is not None and getattr(command, name) != getattr(state, name)
    }
    if not changes:
        return []
    if "product_categories" in changes:
        changes["product_categories"] = list(changes["product_categories"])
    return [EnterpriseProfileUpdated(credit_code=state.credit_code, updated_on=today, **changes)]


def reclassified(
    state: Enterprise | None, facts: list[EnterpriseEvent], today: date
) -> list[EnterpriseEvent]:
    """The facts, followed by ``EnterpriseClassified`` if they (or time) change the class."""
    after = replay(facts, state)
    if after is None:
        raise AssertionError("a registered enterprise has a state")
    new_class, reasons = classify(after.classification_inputs(), today)
    if new_class == after.supervision_class:
        return facts
    classified = EnterpriseClassified(
        credit_code=after.credit_code,
        old_class=after.supervision_class,
        new_class=new_class,
        reasons=reasons,
        classified_on=today,
    )
    return [*facts, classified]


def evolve(state: Enterprise | None, event: EnterpriseEvent) -> Enterprise:
    """The enterprise after one of its events."""
    if isinstance(event, EnterpriseRegistered):
        fields = event.model_dump(exclude={"product_categories"})
        return Enterprise(**fields, product_categories=tuple(event.product_categories))
    if state is None:
        raise DomainError(
            f"enterprise {event.credit_code}: event before registration", code="event.out_of_order"
        )
    match event:
        case EnterpriseProfileUpdated():
            changes = event.model_dump(include=set(PROFILE_FIELDS), exclude_none=True)
            if "product_categories" in changes:
                changes["product_categories"] = tuple(changes["product_categories"])
            return state.model_copy(update=changes)
        case EnterpriseClassified():
            return state.model_copy(update={"supervision_class": event.new_class})
        case CustodianAssigned():
            return state.model_copy(update={"custodian_id": event.custodian_id})
        case CreditRatingRecorded():
            return state.model_copy(update={"credit_rating": event.rating})
        case QualityStatusRecorded():
            return state.model_copy(update={"quality_status": event.status})
        case SpotCheckResultRecorded():
            result = SpotCheckResult(
                level=event.level, checked_on=event.checked_on, passed=event.passed
            )
            checks = state.spot_checks | {event.spot_check_id: result}
            return state.model_copy(update={"spot_checks": checks})
        case ViolationNoted():
            violations = state.violations | {event.violation_id: event.found_on}
            return state.model_copy(update={"violations": violations})
        case CaseNoted():
            return state.model_copy(
                update={"cases": state.cases | {event.case_number: event.opened_on}}
            )
    raise AssertionError(f"no rule for {type(event).__name__}")


def replay(events: Iterable[EnterpriseEvent], state: Enterprise | None = None) -> Enterprise | None:
    """The enterprise its events describe, from an optional earlier state (None: unregistered)."""
    for event in events:
        state = evolve(state, event)
    return state
