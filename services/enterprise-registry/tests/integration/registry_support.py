"""What the registry's integration tests share: the running service, bodies, bus reading."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from ccc_shared.credit_code import check_character
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.testing.actors import actor_headers

# Each step in the role that really takes it (ccc_shared.runtime.access.ACCESS_TABLE):
INSPECTOR = actor_headers("inspector")  # surveys enterprises, registers what it finds
OFFICER = actor_headers("case_officer")  # handles problems: complaint findings on bodies
HEAD = actor_headers("section_head")  # assigns custodians, keys in the bodies' decisions
SYSTEM = actor_headers("system")  # machine callers: the certificate feed, the sweep
AUDITOR = actor_headers("auditor")  # reads everything, changes nothing
_serial = itertools.count(1)


def credit_code() -> str:
    """A fresh, valid unified social credit code (GB 32100-2015)."""
    body = f"91330100MA{next(_serial):07d}"
    return body + check_character(body)


@dataclass
class Registry:
    """The running service as a test sees it: HTTP client, store and bus."""

    app: FastAPI
    http: httpx.AsyncClient
    nc: NatsClient

    @property
    def store(self) -> SqlEventStore:
        """The service's event store."""
        store: SqlEventStore = self.app.state.kernel.store
        return store

    def event_count(self) -> int:
        """How many events the store holds."""
        return len(self.store.read_all(0, 100_000))

    async def read(self, path: str, **params: Any) -> Any:
        """A query as an auditor (who reads everything), asserting it answered 200."""
        response = await self.http.get(path, params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return response.json()

    async def published(self, subject: str = "ccc.registry.>") -> list[dict[str, Any]]:
        """The messages on CCC_REGISTRY matching a subject, in stream order."""
        js = self.nc.jetstream()
        try:
            info = await js.stream_info("CCC_REGISTRY")
        except NotFoundError:
            return []
        found = []
        if not info.state.messages:
            return []
        for sequence in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
            message = await js.get_msg("CCC_REGISTRY", sequence)
            if message.subject and nats_match(subject, message.subject) and message.data:
                found.append(json.loads(message.data))
        return found

    async def eventually(self, check: Callable[[], Any], within: float = 20.0) -> Any:
        """Poll an async or sync check until it returns something truthy."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return result
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not reached within {within} s: {check}")
            await asyncio.sleep(0.1)


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
    """A certificate issued a year ago to ``holder``."""
    return {
        "number": number,
        "holder_credit_code": holder,
        "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂",
        "product_category": "1812",
        "models": ["MFZ/ABC4"],
        "certification_body": "CCCF",
        "issued_on": (date.today() - timedelta(days=365)).isoformat(),
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
