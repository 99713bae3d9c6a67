"""What the registry's integration tests share: the running service, bodies, bus reading."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import nats

from ccc_shared.handling import bureau_today
from ccc_shared.testing import harness
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.harness import ServiceUnderTest, stream_messages
from enterprise_registry.main import Settings, create_app

credit_code = harness.fresh_credit_code  # a valid code, unique in the session

# Each step in the role that really takes it (the access rows, access.py):
INSPECTOR = actor_headers("inspector")  # surveys enterprises, registers what it finds
OFFICER = actor_headers("case_officer")  # handles problems: complaint findings on bodies
HEAD = actor_headers("section_head")  # assigns custodians, keys in the bodies' decisions
SYSTEM = actor_headers("system")  # machine callers: the certificate feed, the sweep
AUDITOR = actor_headers("auditor")  # reads everything, changes nothing


@asynccontextmanager
async def running_registry(
    settings: Settings, clock: Callable[[], date] = bureau_today, **connect: Any
) -> AsyncIterator[Registry]:
    """The registry app in its lifespan, driven over ASGI, with a bus connection of the test's
    (``connect``: nats.connect options); ``clock`` gives the bureau's date (default: today)."""
    app = create_app(settings, clock=clock)
    nc = await nats.connect(settings.nats_url, **connect)
    try:
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://registry") as http,
        ):
            yield Registry(app, http, nc)
    finally:
        await nc.close()


@dataclass
class Registry(ServiceUnderTest):
    """The running service as a test sees it: HTTP client, store and bus."""

    stream = "CCC_REGISTRY"

    async def published(self, stream: str | None = None) -> list[dict[str, Any]]:
        """The envelopes on CCC_REGISTRY (or ``stream``), in stream order."""
        return await stream_messages(self.nc, stream or self.stream)

    async def published_on(self, subject: str) -> list[dict[str, Any]]:
        """The envelopes on CCC_REGISTRY whose subject matches ``subject`` (wildcards too)."""
        return await stream_messages(self.nc, self.stream, lambda s: nats_match(subject, s))

    async def read(self, path: str, **params: Any) -> Any:
        """A query as an auditor (who reads everything), asserting it answered 200."""
        response = await self.http.get(path, params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return response.json()


def nats_match(pattern: str, subject: str) -> bool:
    """Whether a NATS subject matches a pattern with ``*`` and ``>`` wildcards."""
    want, have = pattern.split("."), subject.split(".")
    for index, token in enumerate(want):
        if token == ">":
            return len(have) > index
        if index >= len(have) or token not in ("*", have[index]):
            return False
    return len(want) == len(have)


def enterprise_body(code: str, **changes: Any) -> dict[str, Any]:
    """A complete registration of a small catalogue enterprise in the jurisdiction."""
    return {
        "credit_code": code,
        "name": "浙江消防器材有限公司",
        "address": "杭州市西湖区文三路1号",
        "region": "西湖区",
        "scale": "small",
        "legal_representative": "张伟",
        "contact": "0571-88000000",
        "in_jurisdiction": True,
        "product_categories": ["1812"],
        **changes,
    }


def certificate_body(number: str, holder: str, **changes: Any) -> dict[str, Any]:
    """A certificate issued to ``holder`` a year (365 days) before the fixture's 2026-03-02."""
    return {
        "number": number,
        "holder_credit_code": holder,
        "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂",
        "product_category": "1812",
        "models": ["MFZ/ABC4"],
        "certification_body": "CCCF",
        "issued_on": "2025-03-02",
        **changes,
    }


async def register(registry: Registry, code: str, **changes: Any) -> dict[str, Any]:
    """Register an enterprise over HTTP, asserting it worked."""
    response = await registry.http.post(
        "/enterprises", json=enterprise_body(code, **changes), headers=INSPECTOR
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


CCCF = {"code": "CCCF", "name": "中国消防产品合格评定中心",
        "accreditation_number": "CNCA-R-2002-017", "contact": "010-58812800"}  # fmt: skip


async def register_body(registry: Registry, body: dict[str, Any] = CCCF) -> None:
    """Register a certification body (the one ``certificate_body`` names unless told) once."""
    response = await registry.http.post("/certification-bodies", json=body, headers=HEAD)
    assert response.status_code in (201, 409), response.text


async def register_certificate(
    registry: Registry, number: str, holder: str, **changes: Any
) -> dict[str, Any]:
    """Register a certificate over HTTP (its body registered first), asserting it worked."""
    await register_body(registry)
    response = await registry.http.post(
        "/certificates", json=certificate_body(number, holder, **changes), headers=INSPECTOR
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
