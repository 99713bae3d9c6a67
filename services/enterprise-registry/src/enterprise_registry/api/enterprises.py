"""HTTP routes for enterprises: register, change the profile, name the custodian, query, dossier."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from ccc_shared.contracts import text
from ccc_shared.contracts.registry import Scale, SupervisionClass
from ccc_shared.contracts.text import InputModel
from ccc_shared.credit_code import CreditCode
from ccc_shared.runtime.http import App, CommandResult, Page, Paging, run_command
from enterprise_registry.api.context import COMMAND_RESPONSES, Metadata, Store, not_found
from enterprise_registry.api.schemas import (
    Coverage,
    Dossier,
    DossierEntry,
    EnterpriseView,
)
from enterprise_registry.domain.certificates import CertificateStatus
from enterprise_registry.domain.enterprise_commands import (
    AssignCustodian,
    RegisterEnterprise,
    UpdateEnterpriseProfile,
)
from enterprise_registry.projections import queries

router = APIRouter(tags=["enterprises"])


class ProfileChanges(InputModel):
    """The profile fields to change; a field left out keeps its value."""

    name: text.OrganisationName | None = None
    address: text.OptionalAddress | None = None
    region: text.OptionalRegion | None = None
    scale: Scale | None = None
    legal_representative: text.OptionalPersonName | None = None
    contact: text.OptionalContact | None = None
    in_jurisdiction: bool | None = None
    key_enterprise: bool | None = None
    product_categories: tuple[text.Identifier, ...] | None = Field(default=None, max_length=200)


class CustodianChoice(InputModel):
    """The person who will keep the dossier current."""

    custodian_id: text.Identifier


@router.post("/enterprises", status_code=201, responses=COMMAND_RESPONSES)
def register_enterprise(command: RegisterEnterprise, app: App, metadata: Metadata) -> CommandResult:
    """Enter an enterprise into the register and open its quality dossier."""
    return run_command(app, command, metadata)


@router.patch("/enterprises/{credit_code}", responses=COMMAND_RESPONSES)
def update_profile(
    credit_code: CreditCode,
    changes: ProfileChanges,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """Change some of an enterprise's registered facts (no event if nothing really changes)."""
    fields = changes.model_dump(exclude_unset=True)
    command = UpdateEnterpriseProfile(credit_code=credit_code, **fields)
    return run_command(app, command, metadata)


@router.post("/enterprises/{credit_code}/custodian", responses=COMMAND_RESPONSES)
def assign_custodian(
    credit_code: CreditCode,
    choice: CustodianChoice,
    app: App,
    metadata: Metadata,
) -> CommandResult:
    """Name the person who keeps the enterprise's dossier current."""
    command = AssignCustodian(credit_code=credit_code, custodian_id=choice.custodian_id)
    return run_command(app, command, metadata)


@router.get("/enterprises")
def list_enterprises(
    store: Store,
    page: Paging,
    product_category: Annotated[list[str] | None, Query()] = None,
    region: str | None = None,
    supervision_class: SupervisionClass | None = None,
    certificate_status: CertificateStatus | None = None,
) -> Page[EnterpriseView]:
    """Enterprises making any of the product categories, filtered by region, class, certificates."""
    with store.reading() as conn:
        total, rows = queries.list_enterprises(
            conn,
            product_categories=product_category or [],
            region=region,
            supervision_class=supervision_class,
            certificate_status=certificate_status,
            limit=page.limit,
            offset=page.offset,
        )
    items = [EnterpriseView.model_validate(row) for row in rows]
    return page.of(items, total)


@router.get("/enterprises/{credit_code}", responses={404: {"description": "Unknown enterprise"}})
def get_enterprise(credit_code: CreditCode, store: Store) -> EnterpriseView:
    """One enterprise, with its product categories and the certificates it holds."""
    with store.reading() as conn:
        row = queries.get_enterprise(conn, credit_code)
    if row is None:
        raise not_found(f"enterprise {credit_code}")
    return EnterpriseView.model_validate(row)


@router.get(
    "/enterprises/{credit_code}/dossier", responses={404: {"description": "Unknown enterprise"}}
)
def get_dossier(credit_code: CreditCode, store: Store) -> Dossier:
    """The enterprise's quality dossier: registry, inspection and case events in time order."""
    with store.reading() as conn:
        known = queries.get_enterprise(conn, credit_code) is not None
        rows = queries.dossier(conn, credit_code)
    if not known and not rows:
        raise not_found(f"enterprise {credit_code}")
    entries = [DossierEntry.model_validate(row) for row in rows]
    return Dossier(credit_code=credit_code, entries=entries)


@router.get("/coverage")
def get_coverage(store: Store) -> Coverage:
    """ "100% dossiers": catalogue enterprises in the jurisdiction without a custodian or data."""
    with store.reading() as conn:
        return Coverage.model_validate(queries.coverage(conn))
