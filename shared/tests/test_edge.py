"""The HTTP edge every service shares: bodies refused past their limit, nosniff on every answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from ccc_shared.runtime.app import build_service_app
from ccc_shared.runtime.settings import ServiceSettings

KIB = 1024
JSON = {"Content-Type": "application/json"}


class Command(BaseModel):
    """A JSON command."""

    text: str


def edge_app(
    tmp_path: Path, seen: dict[str, Any], upload_routes: tuple[str, ...] = ("upload",)
) -> FastAPI:
    """A service app with a JSON command route and an upload route that counts what it read."""
    router = APIRouter()

    @router.post("/commands")
    def command(body: Command) -> dict[str, int]:
        seen["commands"] = seen.get("commands", 0) + 1
        return {"length": len(body.text)}

    @router.post("/uploads")
    async def upload(request: Request) -> dict[str, int]:
        seen["read"] = 0
        async for chunk in request.stream():
            seen["read"] += len(chunk)
        seen["uploads"] = seen.get("uploads", 0) + 1
        return {"size": seen["read"]}

    settings = ServiceSettings(
        data_dir=tmp_path, max_request_body_bytes=256 * KIB, max_upload_bytes=1024 * KIB
    )
    return build_service_app(settings, routers=[router], upload_routes=upload_routes)


@pytest.fixture
async def client(tmp_path: Path, seen: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=edge_app(tmp_path, seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http


@pytest.fixture
def seen() -> dict[str, Any]:
    return {}


async def chunks(total: int, size: int = 64 * KIB) -> AsyncIterator[bytes]:
    """``total`` bytes in chunks, as a client streams them (no Content-Length)."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def json_of(length: int) -> bytes:
    """A JSON command whose body is exactly ``length`` bytes."""
    return b'{"text": "' + b"a" * (length - 12) + b'"}'


async def test_a_json_command_within_its_limit_is_taken(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    body = json_of(256 * KIB)
    assert len(body) == 262_144
    response = await client.post("/commands", content=body, headers=JSON)
    assert response.status_code == 200, response.text
    assert seen["commands"] == 1


async def test_a_json_command_over_its_limit_is_413_before_it_is_read(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    response = await client.post("/commands", content=json_of(256 * KIB + 1), headers=JSON)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:ccc:problem:request.too_large",
        "title": "Request Entity Too Large",
        "status": 413,
        "detail": "the request body is larger than this route's limit of 262144 bytes (256 KiB)",
        "code": "request.too_large",
        "fields": [],
        "limit_bytes": 262144,
    }
    assert "commands" not in seen


async def test_a_streamed_json_command_is_refused_once_it_passes_the_limit(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    response = await client.post("/commands", content=chunks(10 * 1024 * KIB), headers=JSON)
    assert response.status_code == 413
    assert "262144 bytes" in response.json()["detail"]
    assert "commands" not in seen


async def test_a_content_length_that_lies_is_no_way_round_the_limit(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    lying = {**JSON, "Content-Length": "20"}
    response = await client.post("/commands", content=chunks(300 * KIB), headers=lying)
    assert response.status_code == 413
    assert "commands" not in seen


async def test_an_upload_route_takes_its_own_larger_limit(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    taken = await client.post("/uploads", content=chunks(1024 * KIB))
    assert taken.status_code == 200, taken.text
    assert taken.json() == {"size": 1_048_576}
    declared = await client.post("/uploads", content=b"x" * (1024 * KIB + 1))
    assert declared.status_code == 413
    assert declared.json()["detail"].endswith("limit of 1048576 bytes (1024 KiB)")
    assert seen["read"] == 1_048_576  # the refused one was never read


async def test_a_streamed_upload_is_cut_off_at_its_limit(
    client: httpx.AsyncClient, seen: dict[str, Any]
) -> None:
    response = await client.post("/uploads", content=chunks(100 * 1024 * KIB))
    assert response.status_code == 413
    assert "1048576 bytes" in response.json()["detail"]
    assert seen["read"] <= 1024 * KIB  # the route saw no byte past the limit
    assert seen.get("uploads") is None


async def test_every_answer_says_nosniff(client: httpx.AsyncClient) -> None:
    answers = [
        await client.get("/health"),
        await client.get("/nowhere"),
        await client.post("/commands", json={"text": 1}),
        await client.post("/commands", content=json_of(300 * KIB), headers=JSON),
    ]
    assert [a.status_code for a in answers] == [200, 404, 422, 413]
    assert {a.headers["x-content-type-options"] for a in answers} == {"nosniff"}


async def test_the_openapi_document_names_each_body_limit(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert paths["/commands"]["post"]["responses"]["413"]["description"].endswith(
        "(this route's body limit: 262144 bytes)"
    )
    assert paths["/uploads"]["post"]["responses"]["413"]["description"].endswith(
        "(this route's body limit: 1048576 bytes)"
    )
    assert "413" not in paths["/health"]["get"]["responses"]


async def test_an_upload_route_that_is_not_in_the_app_stops_the_service(
    tmp_path: Path, seen: dict[str, Any]
) -> None:
    app = edge_app(tmp_path, seen, upload_routes=("renamed_upload",))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://e") as c:
        with pytest.raises(RuntimeError, match="renamed_upload"):
            await c.post("/uploads", content=b"x")
