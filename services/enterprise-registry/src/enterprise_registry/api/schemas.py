"""Response bodies of the registry's HTTP API (request bodies are the domain's commands)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class EnterpriseView(BaseModel):
    """An enterprise as the register holds it now."""

    credit_code: str
    name: str
    address: str
    region: str
    scale: str
    legal_representative: str
    contact: str
    in_jurisdiction: bool
    key_enterprise: bool
    product_categories: list[str]
    custodian_id: str | None
    supervision_class: str | None
    registered_on: date
    version: int
    certificates: list[str] = Field(default_factory=list)


class CertificateView(BaseModel):
    """A certificate as the register holds it now."""

    number: str
    holder_credit_code: str
    manufacturer: str
    factory: str
    product_category: str
    models: list[str]
    certification_body: str
    issued_on: date
    expires_on: date
    status: str
    status_since: date
    status_article: str
    version: int


class DossierEntry(BaseModel):
    """One entry of an enterprise's dossier, linking to the event it records."""

    occurred_at: datetime
    kind: str
    summary: str
    source: str
    event_id: str
    event_type: str
    aggregate_type: str
    aggregate_id: str


class Dossier(BaseModel):
    """An enterprise's quality dossier as a timeline."""

    credit_code: str
    entries: list[DossierEntry]


class CoverageItem(BaseModel):
    """A catalogue enterprise whose dossier is incomplete."""

    credit_code: str
    name: str
    region: str
    custodian_id: str | None
    missing: list[str] = Field(default_factory=list)


class CoverageList(BaseModel):
    """A count and the enterprises counted."""

    count: int
    items: list[CoverageItem]


class Coverage(BaseModel):
    """ "100% dossiers": how many catalogue enterprises are covered, and which are not."""

    catalogue_enterprises: int
    covered: int
    without_custodian: CoverageList
    missing_data: CoverageList
