"""Renewal (art 24) and scope changes (art 25) over HTTP, on a fixed bureau date: the register's
certificate, the published contract events and the refusals that change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from registry_support import (
    HEAD,
    Registry,
    credit_code,
    register,
    register_certificate,
    running_registry,
)

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from enterprise_registry.main import Settings

pytestmark = pytest.mark.integration
TODAY = date(2026, 5, 20)  # 11 days before the certificate below expires


@pytest.fixture
async def registry(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Registry]:
    """The registry on a fresh database, its certificate commands dated ``TODAY``."""
    settings = Settings(database_url=database_url, nats_url=embedded_nats.url, data_dir=tmp_path)
    async with running_registry(settings, clock=lambda: TODAY) as registry:
        yield registry


async def post(registry: Registry, path: str, body: dict[str, Any]) -> httpx.Response:
    """A certificate command as the section head keys it in."""
    return await registry.http.post(path, json=body, headers=HEAD)


async def certificate_events(registry: Registry, count: int) -> list[dict[str, Any]]:
    """The first ``count`` events published about certificate CCC-R1."""

    async def enough() -> list[dict[str, Any]]:
        found = await registry.published_on("ccc.registry.certificate.CCC-R1.>")
        return found if len(found) >= count else []

    found: list[dict[str, Any]] = await registry.eventually(enough)
    return found


async def test_a_renewal_extends_the_certificate_five_years_from_its_expiry(
    registry: Registry,
) -> None:
    holder = credit_code()
    await register(registry, holder)
    await register_certificate(registry, "CCC-R1", holder, issued_on="2021-06-01")
    before = await registry.read("/certificates/CCC-R1")
    assert before["expires_on"] == "2026-05-31"  # five years less a day after issue

    renewed = await post(registry, "/certificates/CCC-R1/renew", {"reason": "换证申请已受理"})
    assert renewed.status_code == 200, renewed.text
    after = await registry.read("/certificates/CCC-R1")
    assert (after["expires_on"], after["status"], after["status_since"]) == (
        "2031-05-31", "valid", "2021-06-01",
    )  # fmt: skip
    assert (after["issued_on"], after["version"]) == ("2021-06-01", 2)
    events = await certificate_events(registry, 2)
    assert [e["event_type"] for e in events] == ["CertificateRegistered", "CertificateRenewed"]
    assert (events[1]["data"]["previous_expires_on"], events[1]["data"]["expires_on"]) == (
        "2026-05-31", "2031-05-31",
    )  # fmt: skip
    assert events[1]["data"]["article"] == "Order 117 art 24"

    again = await post(registry, "/certificates/CCC-R1/renew", {})
    assert again.status_code == 409  # the new expiry is years away: the window is closed
    assert "the renewal window opens on 2031-03-02" in again.json()["detail"]
    assert await registry.read("/certificates/CCC-R1") == after


async def test_a_scope_change_adds_and_removes_models_in_the_register(
    registry: Registry,
) -> None:
    holder = credit_code()
    await register(registry, holder)
    await register_certificate(registry, "CCC-R1", holder, issued_on="2024-01-10",
                               models=["MFZ/ABC4", "MFZ/ABC8"])  # fmt: skip
    change = {"reason_code": "models_changed", "models_added": ["MFZ/ABC35"],
              "models_removed": ["MFZ/ABC4"]}  # fmt: skip
    changed = await post(registry, "/certificates/CCC-R1/scope", change)
    assert changed.status_code == 200, changed.text
    view = await registry.read("/certificates/CCC-R1")
    assert (view["models"], view["status"], view["version"]) == (
        ["MFZ/ABC8", "MFZ/ABC35"], "valid", 2,
    )  # fmt: skip
    events = await certificate_events(registry, 2)
    assert events[1]["event_type"] == "CertificateScopeChanged"
    assert events[1]["data"]["models"] == ["MFZ/ABC8", "MFZ/ABC35"]
    assert events[1]["data"]["article"] == "Order 117 art 25"

    every_model = {"reason_code": "models_changed", "models_removed": ["MFZ/ABC8", "MFZ/ABC35"]}
    refused = await post(registry, "/certificates/CCC-R1/scope", every_model)
    assert refused.status_code == 409
    assert "cannot remove every model" in refused.json()["detail"]
    assert await registry.read("/certificates/CCC-R1") == view
