"""Every refusal of a service app is Problem Details (RFC 9457) with a stable code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from ccc_contracts.envelope import StreamId
from ccc_shared.domain import DomainError
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.runtime.app import build_service_app
from ccc_shared.runtime.http import install_error_handlers
from ccc_shared.runtime.settings import ServiceSettings

PROBLEM = "application/problem+json"


class Command(BaseModel):
    """A JSON command."""

    text: str
    count: int


class UnknownError(LookupError):
    """No such aggregate."""


def problem_app(tmp_path: Path) -> FastAPI:
    router = APIRouter()

    @router.post("/commands", responses={409: {"description": "Refused"}})
    def command(body: Command) -> dict[str, int]:
        if body.text == "suspended":
            raise DomainError(
                "certificate C-1: is already suspended",
                code="certificate.already_suspended",
                fields=["text"],
            )
        if body.text == "raced":
            raise ConcurrencyError(StreamId("certificate", "C-1"), 3, 4)
        if body.text == "unknown":
            raise UnknownError("certificate C-2 is not registered")
        return {"count": body.count}

    app = build_service_app(ServiceSettings(data_dir=tmp_path), routers=[router])
    install_error_handlers(app, UnknownError)
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=problem_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        yield http


async def test_a_rule_refused_names_its_code_and_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/commands", json={"text": "suspended", "count": 1})
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "urn:ccc:problem:certificate.already_suspended",
        "title": "Conflict",
        "status": 409,
        "detail": "certificate C-1: is already suspended",
        "code": "certificate.already_suspended",
        "fields": ["text"],
        "kind": "illegal_transition",
    }


async def test_a_concurrent_change_keeps_its_retry_members(client: httpx.AsyncClient) -> None:
    response = await client.post("/commands", json={"text": "raced", "count": 1})
    body = response.json()
    assert (response.status_code, body["code"], body["kind"], body["retry"]) == (
        409,
        "aggregate.concurrent_change",
        "concurrency",
        True,
    )
    assert response.headers["retry-after"] == "0"


async def test_an_unknown_aggregate_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/commands", json={"text": "unknown", "count": 1})
    assert (response.status_code, response.json()["code"]) == (404, "resource.not_found")
    assert response.json()["detail"] == "certificate C-2 is not registered"


async def test_request_validation_is_one_code_with_the_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/commands", json={"text": 5, "count": "many"})
    body = response.json()
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert (body["code"], body["fields"]) == ("request.invalid", ["text", "count"])
    assert [error["loc"] for error in body["detail"]] == [["body", "text"], ["body", "count"]]


async def test_an_undecodable_body_and_an_unknown_route_are_problems(
    client: httpx.AsyncClient,
) -> None:
    garbled = await client.post(
        "/commands", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    missing = await client.get("/nowhere")
    assert garbled.status_code in {400, 422}
    assert garbled.headers["content-type"] == PROBLEM
    assert (missing.status_code, missing.json()["code"]) == (404, "resource.not_found")
    assert missing.headers["content-type"] == PROBLEM


async def test_openapi_declares_every_error_answer_a_problem(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    responses = schema["paths"]["/commands"]["post"]["responses"]
    errors = {status: r for status, r in responses.items() if status[0] in "45"}
    assert {"400", "401", "403", "409", "413", "422"} <= set(errors)
    for response in errors.values():
        assert response["content"] == {
            PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "fields"} <= set(problem["required"])
