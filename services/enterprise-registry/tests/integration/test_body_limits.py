"""The issue's 10 MB `contact`: refused at the edge (413) before it is read, nothing recorded,
and the next registration goes through as usual."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from registry_support import INSPECTOR, Registry, credit_code, enterprise_body, register

pytestmark = pytest.mark.integration
JSON = {**INSPECTOR, "Content-Type": "application/json"}
REFUSAL = "the request body is larger than this route's limit of 262144 bytes (256 KiB)"


async def in_chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """The body as a client streams it, without a Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_a_10_mb_field_is_refused_before_it_is_read_and_nothing_is_recorded(
    registry: Registry,
) -> None:
    code = credit_code()
    oversized = json.dumps(enterprise_body(code, contact="x" * 10_000_000)).encode()
    before = registry.event_count()
    declared = await registry.http.post("/enterprises", content=oversized, headers=JSON)
    streamed = await registry.http.post("/enterprises", content=in_chunks(oversized), headers=JSON)
    for refused in (declared, streamed):  # Problem Details: the sentence and the rule's code
        body = refused.json()
        assert (refused.status_code, body["detail"], body["code"]) == (
            413,
            REFUSAL,
            "request.too_large",
        )
    assert registry.event_count() == before
    missing = await registry.http.get(f"/enterprises/{code}", headers=INSPECTOR)
    assert missing.status_code == 404
    # the next registration is recorded as usual
    registered = await register(registry, code)
    assert [e["event_type"] for e in registered["events"]] == [
        "EnterpriseRegistered", "EnterpriseClassified",
    ]  # fmt: skip
    assert registry.event_count() == before + 2
