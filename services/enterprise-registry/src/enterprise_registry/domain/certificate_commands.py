"""Orders to a CCC certificate, the article each reason applies, and the art 24 registration check.

The regulation is AQSIQ Order 117 of 2009 as amended by SAMR Order 61 of 2022
(强制性产品认证管理规定). Reason codes are the items of its articles,
so the article is derived, never typed in.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from ccc_contracts import text
from ccc_contracts.credit_code import CreditCode
from ccc_contracts.registry import (
    CancellationReason,
    CertificateCancelled,
    CertificateExpired,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
    RegistrationReason,
    ReinstatementReason,
    RevocationReason,
    ScopeChangeReason,
    SuspensionReason,
)
from enterprise_registry.domain.base import Command, DomainError

REGULATION = "Order 117"

# art 24: validity 5 years, renewal applied for in the 90 days before expiry.
VALIDITY_ARTICLE = f"{REGULATION} art 24"
# art 25: changes to a certificate (models, names, addresses) go through its certification body.
CHANGE_ARTICLE = f"{REGULATION} art 25"
# Reinstatement is not an item of its own: a suspension under art 27 ends when its cause is gone.
REINSTATEMENT_ARTICLE = f"{REGULATION} art 27"

# art 26 (注销): the certification body shall cancel a certificate when ...
CANCELLATION_ITEMS: dict[CancellationReason, int] = {
    "catalogue_or_standard_changed": 1,  # catalogue or standard changed, holder cannot follow
    "validity_ended_not_renewed": 2,  # validity ended and no renewal was applied for
    "no_longer_produced": 3,  # the certified product is no longer made
    "model_banned": 4,  # the model is on the list of products the state has banned
    "holder_requested": 5,  # the holder asked for it
    "other": 6,  # other cases the law names
}
# art 27 (暂停): the certification body shall suspend a certificate when ...
SUSPENSION_ITEMS: dict[SuspensionReason, int] = {
    "certification_rules_changed": 1,  # rules changed, product not brought into line in time
    "certification_rules_violated": 2,  # follow-up found the holder breaking the rules
    "follow_up_refused_or_failed": 3,  # follow-up refused, or product no longer conforms
    "holder_requested": 4,  # the holder asked for it
    "other": 5,
}
# art 28 (撤销): the certification body shall revoke a certificate when ...
REVOCATION_ITEMS: dict[RevocationReason, int] = {
    "defect_caused_accident": 1,  # a defect of the product caused a quality or safety accident
    "product_mismatch": 2,  # follow-up found the product differs from the one certified
    "not_rectified_while_suspended": 3,  # no rectification, or still failing, while suspended
    "obtained_improperly": 4,  # obtained by deception, bribery or other improper means
    "other": 5,
}


class CertificateCommand(Command):
    """An order about one certificate, named by its number."""

    number: text.Identifier
    reason: text.OptionalReason = ""


class StatusChange(CertificateCommand):
    """An order that takes effect on a date: the one given, or else the day it is decided."""

    effective_on: date | None = None


class RegisterCertificate(CertificateCommand):
    """Enter an issued certificate into the register; expiry defaults to 5 years (art 24)."""

    holder_credit_code: CreditCode
    manufacturer: text.OrganisationName
    factory: text.OrganisationName
    product_category: text.Identifier
    models: tuple[text.ProductModel, ...] = Field(min_length=1, max_length=text.MAX_LIST_ITEMS)
    certification_body: text.Identifier
    issued_on: date
    expires_on: date | None = None
    reason_code: RegistrationReason = "issued"


class SuspendCertificate(StatusChange):
    """Suspend a valid certificate for one of the causes of art 27."""

    reason_code: SuspensionReason


class ReinstateCertificate(StatusChange):
    """Make a suspended certificate valid again once the cause of suspension is removed."""

    reason_code: ReinstatementReason


class CancelCertificate(StatusChange):
    """Cancel a certificate for one of the causes of art 26."""

    reason_code: CancellationReason


class RevokeCertificate(StatusChange):
    """Revoke a certificate for one of the causes of art 28."""

    reason_code: RevocationReason


class ExpireCertificate(CertificateCommand):
    """Mark a certificate expired once its expiry date has passed without renewal (art 24)."""


class RenewCertificate(StatusChange):
    """Extend a valid certificate by 5 years on an application made in the renewal window."""


class ChangeCertificateScope(StatusChange):
    """Add or remove product models covered by a valid certificate (art 25)."""

    reason_code: ScopeChangeReason
    models_added: tuple[text.ProductModel, ...] = Field(default=(), max_length=text.MAX_LIST_ITEMS)
    models_removed: tuple[text.ProductModel, ...] = Field(
        default=(), max_length=text.MAX_LIST_ITEMS
    )


CertificateEvent = (
    CertificateRegistered
    | CertificateSuspended
    | CertificateReinstated
    | CertificateCancelled
    | CertificateRevoked
    | CertificateExpired
    | CertificateRenewed
    | CertificateScopeChanged
)


def article_for(command: CertificateCommand) -> str:
    """The article (and item) of the regulation a command applies."""
    match command:
        case SuspendCertificate():
            return f"{REGULATION} art 27({SUSPENSION_ITEMS[command.reason_code]})"
        case CancelCertificate():
            return f"{REGULATION} art 26({CANCELLATION_ITEMS[command.reason_code]})"
        case RevokeCertificate():
            return f"{REGULATION} art 28({REVOCATION_ITEMS[command.reason_code]})"
        case ReinstateCertificate():
            return REINSTATEMENT_ARTICLE
        case ChangeCertificateScope():
            return CHANGE_ARTICLE
    return VALIDITY_ARTICLE


def five_years_after(day: date) -> date:
    """The same calendar day five years later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 5)
    except ValueError:
        return day.replace(year=day.year + 5, day=28)


def registered(command: RegisterCertificate, today: date) -> CertificateRegistered:
    """Check an issued certificate's dates (art 24) and record it as valid."""
    longest = five_years_after(command.issued_on) - timedelta(days=1)
    expires_on = command.expires_on or longest
    refused = f"certificate {command.number}: {{}} ({VALIDITY_ARTICLE})".format
    if command.issued_on > today:
        raise DomainError(
            refused(f"is issued on {command.issued_on}, which is after today ({today})"),
            code="certificate.issued_in_future",
            fields=["issued_on"],
        )
    if not command.issued_on < expires_on <= longest:
        raise DomainError(
            refused(f"expiry {expires_on} is not within 5 years of issue on {command.issued_on}"),
            code="certificate.validity_over_five_years",
            fields=["expires_on"],
        )
    if expires_on < today:
        raise DomainError(
            refused(f"expired on {expires_on}, before it was registered"),
            code="certificate.registered_expired",
            fields=["expires_on"],
        )
    if len(set(command.models)) != len(command.models):
        raise DomainError(
            refused("lists a model twice"), code="certificate.model_twice", fields=["models"]
        )
    return CertificateRegistered(
        certificate_number=command.number,
        holder_credit_code=command.holder_credit_code,
        product_category=command.product_category,
        certification_body=command.certification_body,
        article=VALIDITY_ARTICLE,
        reason=command.reason,
        effective_on=command.issued_on,
        reason_code=command.reason_code,
        manufacturer=command.manufacturer,
        factory=command.factory,
        models=list(command.models),
        issued_on=command.issued_on,
        expires_on=expires_on,
    )
