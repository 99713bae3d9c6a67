"""Orders to an enterprise in the register, named by its unified social credit code."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ccc_shared.contracts.registry import Scale
from ccc_shared.credit_code import CreditCode
from enterprise_registry.domain.base import Command
from enterprise_registry.domain.classification import CreditRating, QualityStatus, SpotCheckLevel


class EnterpriseCommand(Command):
    """An order about one enterprise."""

    credit_code: CreditCode


class RegisterEnterprise(EnterpriseCommand):
    """Enter an enterprise into the register and open its quality dossier."""

    name: str = Field(min_length=1)
    address: str
    region: str
    scale: Scale
    legal_representative: str
    contact: str
    in_jurisdiction: bool
    key_enterprise: bool = False
    product_categories: tuple[str, ...] = ()
    custodian_id: str | None = None


class UpdateEnterpriseProfile(EnterpriseCommand):
    """Change some registered facts; a field left as ``None`` keeps its value."""

    name: str | None = Field(default=None, min_length=1)
    address: str | None = None
    region: str | None = None
    scale: Scale | None = None
    legal_representative: str | None = None
    contact: str | None = None
    in_jurisdiction: bool | None = None
    key_enterprise: bool | None = None
    product_categories: tuple[str, ...] | None = None


class AssignCustodian(EnterpriseCommand):
    """Name the person who keeps the enterprise's dossier current."""

    custodian_id: str = Field(min_length=1)


class RecordCreditRating(EnterpriseCommand):
    """Record the market regulator's credit-risk rating of the enterprise."""

    rating: CreditRating
    source: str = Field(min_length=1)
    rated_on: date


class RecordQualityStatus(EnterpriseCommand):
    """Record an assessment of the enterprise's quality status."""

    status: QualityStatus
    source: str = Field(min_length=1)
    assessed_on: date


class RecordSpotCheckResult(EnterpriseCommand):
    """Record a spot-check result (or another department's quality information)."""

    spot_check_id: str = Field(min_length=1)
    level: SpotCheckLevel
    checked_on: date
    product_category: str
    passed: bool
    defects: tuple[str, ...] = ()


class NoteViolation(EnterpriseCommand):
    """Count a violation found by inspection against the enterprise (once per violation)."""

    violation_id: str = Field(min_length=1)
    found_on: date


class NoteCase(EnterpriseCommand):
    """Count an enforcement case against the enterprise (once per case)."""

    case_number: str = Field(min_length=1)
    opened_on: date


class ClassifyEnterprise(EnterpriseCommand):
    """Re-evaluate the class as of today: old violations and checks leave their windows."""
