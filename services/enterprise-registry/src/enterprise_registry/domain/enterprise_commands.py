"""Orders to an enterprise in the register, named by its unified social credit code."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.registry import Scale
from enterprise_registry.domain.base import Command
from enterprise_registry.domain.classification import CreditRating, QualityStatus, SpotCheckLevel


class EnterpriseCommand(Command):
    """An order about one enterprise."""

    credit_code: CreditCode


class RegisterEnterprise(EnterpriseCommand):
    """Enter an enterprise into the register and open its quality dossier."""

    name: text.OrganisationName
    address: text.OptionalAddress
    region: text.OptionalRegion
    scale: Scale
    legal_representative: text.OptionalPersonName
    contact: text.OptionalContact
    in_jurisdiction: bool
    key_enterprise: bool = False
    product_categories: tuple[text.Identifier, ...] = Field(default=(), max_length=200)
    custodian_id: text.Identifier | None = None


class UpdateEnterpriseProfile(EnterpriseCommand):
    """Change some registered facts; a field left as ``None`` keeps its value."""

    name: text.OrganisationName | None = None
    address: text.OptionalAddress | None = None
    region: text.OptionalRegion | None = None
    scale: Scale | None = None
    legal_representative: text.OptionalPersonName | None = None
    contact: text.OptionalContact | None = None
    in_jurisdiction: bool | None = None
    key_enterprise: bool | None = None
    product_categories: tuple[text.Identifier, ...] | None = Field(default=None, max_length=200)


class AssignCustodian(EnterpriseCommand):
    """Name the person who keeps the enterprise's dossier current."""

    custodian_id: text.Identifier


class RecordCreditRating(EnterpriseCommand):
    """Record the market regulator's credit-risk rating of the enterprise."""

    rating: CreditRating
    source: text.Label
    rated_on: date


class RecordQualityStatus(EnterpriseCommand):
    """Record an assessment of the enterprise's quality status."""

    status: QualityStatus
    source: text.Label
    assessed_on: date


class RecordSpotCheckResult(EnterpriseCommand):
    """Record a spot-check result (or another department's quality information)."""

    spot_check_id: text.Identifier
    level: SpotCheckLevel
    checked_on: date
    product_category: text.Identifier
    passed: bool
    defects: tuple[text.Reason, ...] = Field(default=(), max_length=100)


class NoteViolation(EnterpriseCommand):
    """Count a violation found by inspection against the enterprise (once per violation)."""

    violation_id: text.CompositeIdentifier
    found_on: date


class NoteCase(EnterpriseCommand):
    """Count an enforcement case against the enterprise (once per case)."""

    case_number: text.Identifier
    opened_on: date


class ClassifyEnterprise(EnterpriseCommand):
    """Re-evaluate the class as of today: old violations and checks leave their windows."""
