"""Contract events published by enterprise-registry on ``ccc.registry.>`` (stream CCC_REGISTRY).

Only the events other services rely on today; the registry issue adds the rest.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ccc_shared.contracts.base import EventData, EventRegistry

CONTEXT = "registry"
registry = EventRegistry()


@registry.register
class EnterpriseRegistered(EventData):
    """An enterprise entered the bureau's register and got its quality dossier."""

    event_type = "EnterpriseRegistered"
    credit_code: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=1)
    address: str
    region: str
    in_jurisdiction: bool
    key_enterprise: bool = False
    product_categories: list[str] = Field(default_factory=list)
    custodian_id: str | None = None


@registry.register
class CertificateSuspended(EventData):
    """A certification body suspended a CCC certificate (Order 117 art 27)."""

    event_type = "CertificateSuspended"
    certificate_number: str = Field(min_length=1)
    holder_credit_code: str = Field(min_length=18, max_length=18)
    product_category: str
    certification_body: str
    reason_code: str
    article: str
    reason: str
    effective_on: date
