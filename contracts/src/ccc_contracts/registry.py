"""Contract events published by enterprise-registry on ``ccc.registry.>`` (stream CCC_REGISTRY).

Enterprises, their supervision class, and CCC certificates with every status change. The
certificate rules are those of the CCC regulation (AQSIQ Order 117 of 2009 as amended by SAMR
Order 61 of 2022): every certificate event names its ``reason_code`` and the ``article`` it
applies, so a subscriber never has to guess why a certificate changed.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ccc_contracts.base import EventData, EventRegistry
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.text import (
    ADDRESS_MAX,
    CONTACT_MAX,
    IDENTIFIER_MAX,
    ORGANISATION_NAME_MAX,
    PERSON_NAME_MAX,
    REASON_MAX,
    REGION_MAX,
)

CONTEXT = "registry"
registry = EventRegistry()

Scale = Literal["large", "medium", "small", "micro"]
# who ran a spot check (抽查): a level of the market-regulation hierarchy, or another department
SpotCheckLevel = Literal["national", "provincial", "municipal", "county", "other_department"]
SupervisionClass = Literal["A", "B", "C", "D"]

RegistrationReason = Literal["issued", "imported"]
# art 27 items (1) to (5)
SuspensionReason = Literal[
    "certification_rules_changed",
    "certification_rules_violated",
    "follow_up_refused_or_failed",
    "holder_requested",
    "other",
]
ReinstatementReason = Literal["rectified", "holder_request_withdrawn", "other"]
# art 26 items (1) to (6)
CancellationReason = Literal[
    "catalogue_or_standard_changed",
    "validity_ended_not_renewed",
    "no_longer_produced",
    "model_banned",
    "holder_requested",
    "other",
]
# art 28 items (1) to (5)
RevocationReason = Literal[
    "defect_caused_accident",
    "product_mismatch",
    "not_rectified_while_suspended",
    "obtained_improperly",
    "other",
]
ExpiryReason = Literal["validity_ended"]
RenewalReason = Literal["renewed_on_application"]
ScopeChangeReason = Literal["models_extended", "models_reduced", "models_changed"]

CreditCodeText = CreditCode  # GB 32100-2015, check character included


@registry.register
class EnterpriseRegistered(EventData):
    """An enterprise entered the bureau's register and got its quality dossier."""

    event_type = "EnterpriseRegistered"
    credit_code: CreditCodeText
    name: str = Field(min_length=1, max_length=ORGANISATION_NAME_MAX)
    address: str = Field(max_length=ADDRESS_MAX)
    region: str = Field(max_length=REGION_MAX)
    scale: Scale
    legal_representative: str = Field(max_length=PERSON_NAME_MAX)
    contact: str = Field(max_length=CONTACT_MAX)
    in_jurisdiction: bool
    key_enterprise: bool = False
    product_categories: list[str] = Field(default_factory=list)
    custodian_id: str | None = Field(default=None, max_length=IDENTIFIER_MAX)
    registered_on: date


@registry.register
class EnterpriseProfileUpdated(EventData):
    """Some of an enterprise's registered facts changed; ``None`` means unchanged."""

    event_type = "EnterpriseProfileUpdated"
    credit_code: CreditCodeText
    name: str | None = Field(default=None, min_length=1, max_length=ORGANISATION_NAME_MAX)
    address: str | None = Field(default=None, max_length=ADDRESS_MAX)
    region: str | None = Field(default=None, max_length=REGION_MAX)
    scale: Scale | None = None
    legal_representative: str | None = Field(default=None, max_length=PERSON_NAME_MAX)
    contact: str | None = Field(default=None, max_length=CONTACT_MAX)
    in_jurisdiction: bool | None = None
    key_enterprise: bool | None = None
    product_categories: list[str] | None = None
    updated_on: date


@registry.register
class EnterpriseClassified(EventData):
    """An enterprise's supervision class (A best to D worst) changed, with the reasons."""

    event_type = "EnterpriseClassified"
    credit_code: CreditCodeText
    old_class: SupervisionClass | None
    new_class: SupervisionClass
    reasons: list[str] = Field(min_length=1)
    classified_on: date


@registry.register
class SpotCheckResultRecorded(EventData):
    """A spot-check result (抽查) or another department's quality information about a product."""

    event_type = "SpotCheckResultRecorded"
    credit_code: CreditCodeText
    spot_check_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    level: SpotCheckLevel
    checked_on: date
    product_category: str = Field(max_length=IDENTIFIER_MAX)
    passed: bool
    defects: list[str] = Field(default_factory=list)


class CertificateChange(EventData):
    """What every certificate event names: the certificate, its holder, why and under which rule."""

    certificate_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    holder_credit_code: CreditCodeText
    product_category: str = Field(max_length=IDENTIFIER_MAX)
    certification_body: str = Field(max_length=IDENTIFIER_MAX)
    article: str = Field(max_length=IDENTIFIER_MAX)
    reason: str = Field(default="", max_length=REASON_MAX)
    effective_on: date


@registry.register
class CertificateRegistered(CertificateChange):
    """A CCC certificate entered the register, valid from issue to expiry (art 24)."""

    event_type = "CertificateRegistered"
    reason_code: RegistrationReason
    manufacturer: str = Field(max_length=ORGANISATION_NAME_MAX)
    factory: str = Field(max_length=ORGANISATION_NAME_MAX)
    models: list[str] = Field(min_length=1)
    issued_on: date
    expires_on: date


@registry.register
class CertificateSuspended(CertificateChange):
    """A certification body suspended a CCC certificate (art 27)."""

    event_type = "CertificateSuspended"
    reason_code: SuspensionReason


@registry.register
class CertificateReinstated(CertificateChange):
    """A suspended certificate is valid again: the cause of its suspension was removed."""

    event_type = "CertificateReinstated"
    reason_code: ReinstatementReason


@registry.register
class CertificateCancelled(CertificateChange):
    """A certification body cancelled (注销) a certificate (art 26)."""

    event_type = "CertificateCancelled"
    reason_code: CancellationReason


@registry.register
class CertificateRevoked(CertificateChange):
    """A certification body revoked (撤销) a certificate (art 28)."""

    event_type = "CertificateRevoked"
    reason_code: RevocationReason


@registry.register
class CertificateExpired(CertificateChange):
    """A certificate passed its expiry date unrenewed; ``effective_on`` is its first invalid day."""

    event_type = "CertificateExpired"
    reason_code: ExpiryReason


@registry.register
class CertificateRenewed(CertificateChange):
    """A certificate's validity was extended on an application made in the window (art 24)."""

    event_type = "CertificateRenewed"
    reason_code: RenewalReason
    previous_expires_on: date
    expires_on: date


@registry.register
class CertificateScopeChanged(CertificateChange):
    """The product models a certificate covers changed (art 25)."""

    event_type = "CertificateScopeChanged"
    reason_code: ScopeChangeReason
    models_added: list[str] = Field(default_factory=list)
    models_removed: list[str] = Field(default_factory=list)
    models: list[str] = Field(min_length=1)


@registry.register
class CertificationBodyRegistered(EventData):
    """A certification body (认证机构) entered the register."""

    event_type = "CertificationBodyRegistered"
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=ORGANISATION_NAME_MAX)
    accreditation_number: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    contact: str = Field(max_length=CONTACT_MAX)
    registered_on: date


@registry.register
class CustodianAssigned(EventData):
    """A named person now keeps the enterprise's quality dossier current ("100% dossiers").

    Published so that notices about the enterprise (a certificate withdrawn) reach the
    custodian of the day.
    """

    event_type = "CustodianAssigned"
    credit_code: CreditCodeText
    custodian_id: str = Field(min_length=1, max_length=IDENTIFIER_MAX)
    previous_custodian_id: str | None = Field(max_length=IDENTIFIER_MAX)
    assigned_on: date
