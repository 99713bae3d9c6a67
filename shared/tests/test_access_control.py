"""Access control on a small FastAPI app: 401 and 403 before any handler runs, deny by default."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from ccc_contracts.envelope import Actor
from ccc_shared.runtime.access import (
    STAFF,
    access_matrix,
    actor_of,
    app_routes,
    install_access_control,
    probe_path,
    request_actor,
    stale_entries,
    unlisted_routes,
)
from ccc_shared.runtime.auth import (
    ROLES,
    Authenticator,
    JwtSettings,
    Principal,
    demo_principals,
    mint_token,
)

KEY = JwtSettings("k" * 40)
TABLE = {
    "demo:open_case": frozenset({"case_officer", "section_head"}),
    "demo:list_cases": STAFF,
    "demo:get_case": STAFF,
}


class CaseBody(BaseModel):
    title: str


def demo_app(table: dict[str, frozenset[str]] = TABLE) -> tuple[FastAPI, list[Actor]]:
    """Cases under /cases (an included router), one unlisted route, health and docs."""
    changes: list[Actor] = []
    router = APIRouter(prefix="/cases")

    @router.post("", status_code=201)
    def open_case(body: CaseBody, request: Request) -> dict[str, str]:
        actor = request_actor(request)
        assert actor is not None
        changes.append(actor)
        return {"title": body.title, "by": actor.id}

    @router.get("")
    def list_cases(request: Request) -> dict[str, str]:
        return {"principal": request.state.principal.user_id}

    @router.get("/{case_id}")
    def get_case(case_id: int) -> dict[str, int]:
        return {"case_id": case_id}

    @router.post("/{case_id}/close")
    def close_case(case_id: int) -> dict[str, int]:  # not in the table: refused to everyone
        changes.append(Actor(id="should-not-run", role="admin"))
        return {"case_id": case_id}

    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(router)
    install_access_control(app, "demo", Authenticator(jwt_settings=KEY), table)
    return app, changes


@pytest.fixture
async def app_and_client() -> AsyncIterator[tuple[list[Actor], httpx.AsyncClient]]:
    app, changes = demo_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        yield changes, client


def token_of(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(demo_principals()[role], KEY)}"}


async def test_health_and_docs_need_no_token(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    _changes, client = app_and_client
    for path in ("/health", "/docs", "/openapi.json", "/redoc"):
        assert (await client.get(path)).status_code == 200, path


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}],
    ids=["missing", "bad", "not-bearer"],
)
async def test_without_a_valid_token_a_command_is_refused_401_and_changes_nothing(
    app_and_client: tuple[list[Actor], httpx.AsyncClient], headers: dict[str, str]
) -> None:
    changes, client = app_and_client
    response = await client.post("/cases", json={"title": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert (await client.get("/cases", headers=headers)).status_code == 401
    assert changes == []


async def test_a_token_signed_with_another_key_is_refused_401(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    changes, client = app_and_client
    forged = mint_token(demo_principals()["admin"], JwtSettings("o" * 40))
    response = await client.post(
        "/cases", json={"title": "x"}, headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401
    assert response.json()["reason"] == "invalid_signature"
    assert changes == []


@pytest.mark.parametrize("role", ROLES)
async def test_every_role_against_the_table(
    app_and_client: tuple[list[Actor], httpx.AsyncClient], role: str
) -> None:
    changes, client = app_and_client
    opened = await client.post("/cases", json={"title": "x"}, headers=token_of(role))
    listed = await client.get("/cases", headers=token_of(role))
    shown = await client.get("/cases/7", headers=token_of(role))
    expected_command = 201 if role in TABLE["demo:open_case"] else 403
    expected_query = 200 if role in STAFF | {"auditor"} else 403
    assert (opened.status_code, listed.status_code, shown.status_code) == (
        expected_command, expected_query, expected_query,
    )  # fmt: skip
    assert len(changes) == (1 if expected_command == 201 else 0)


async def test_a_refused_command_is_refused_before_its_body_is_validated(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    _changes, client = app_and_client
    response = await client.post("/cases", json={"wrong": 1}, headers=token_of("inspector"))
    assert response.status_code == 403
    assert response.json()["detail"] == "inspector may not demo:open_case"
    allowed = await client.post("/cases", json={"wrong": 1}, headers=token_of("case_officer"))
    assert allowed.status_code == 422


async def test_a_route_missing_from_the_table_is_refused_to_everyone(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    changes, client = app_and_client
    for role in ROLES:
        response = await client.post("/cases/7/close", headers=token_of(role))
        assert response.status_code == 403, role
    assert changes == []


async def test_unknown_paths_and_methods_still_need_a_token(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    _changes, client = app_and_client
    assert (await client.get("/nowhere")).status_code == 401
    assert (await client.get("/nowhere", headers=token_of("auditor"))).status_code == 404
    assert (await client.delete("/cases", headers=token_of("admin"))).status_code == 405


async def test_the_event_actor_comes_from_the_principal_not_the_body(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    changes, client = app_and_client
    head = Principal.of("head-1", "陈静", "inspection-section", "auditor", "section_head")
    token = mint_token(head, KEY)
    response = await client.post(
        "/cases",
        json={"title": "x", "actor": {"id": "someone-else"}},
        headers={"Authorization": f"Bearer {token}", "X-Actor-Id": "someone-else"},
    )
    assert response.status_code == 201
    # auditor may not open cases, so the principal acts as section head
    assert changes == [Actor(id="head-1", role="section_head", name="陈静")]
    listed = await client.get("/cases", headers={"Authorization": f"Bearer {token}"})
    assert listed.json() == {"principal": "head-1"}


async def test_the_access_matrix_every_route_with_every_role(
    app_and_client: tuple[list[Actor], httpx.AsyncClient],
) -> None:
    """The generic matrix test a service can copy: a body-less call passes access control
    (then fails validation or finds nothing) exactly when the table allows the role."""
    changes, client = app_and_client
    app, _ = demo_app()
    matrix = access_matrix(app, "demo", TABLE)
    assert len(matrix) == 4 * len(ROLES)
    for route, role, allowed in matrix:
        response = await client.request(route.method, probe_path(route), headers=token_of(role))
        refused = response.status_code == 403
        assert refused is not allowed, (route.name, role, response.status_code)
        assert response.status_code != 401
    assert changes == [], "no body, no change: allowed commands stop at validation"


def test_the_openapi_document_names_the_bearer_scheme_and_the_allowed_roles() -> None:
    app, _changes = demo_app()
    schema = app.openapi()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    opening = schema["paths"]["/cases"]["post"]
    assert opening["security"] == [{"bearer": []}]
    assert "401" in opening["responses"]
    assert opening["responses"]["403"]["description"].endswith("case_officer, section_head")
    assert (
        "auditor" in schema["paths"]["/cases/{case_id}"]["get"]["responses"]["403"]["description"]
    )
    closing = schema["paths"]["/cases/{case_id}/close"]["post"]["responses"]["403"]
    assert "nobody" in closing["description"]
    assert "security" not in schema["paths"]["/health"]["get"]


def test_a_table_letting_auditors_run_a_command_is_refused() -> None:
    with pytest.raises(ValueError, match="auditors change nothing"):
        demo_app({**TABLE, "demo:open_case": frozenset({"auditor"})})


def test_unlisted_routes_and_stale_entries_are_listed() -> None:
    app, _changes = demo_app({**TABLE, "demo:renamed_route": STAFF})
    assert unlisted_routes(app, "demo", TABLE) == ["demo:close_case"]
    assert stale_entries(app, "demo", {**TABLE, "demo:renamed_route": STAFF}) == [
        "demo:renamed_route"
    ]
    assert {route.name for route in app_routes(app) if route.query} >= {"list_cases", "get_case"}


async def test_websockets_are_refused() -> None:
    app, _changes = demo_app()
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    headers = [(b"authorization", token_of("admin")["Authorization"].encode())]
    scope = {"type": "websocket", "path": "/live", "root_path": "", "headers": headers,
             "query_string": b"", "asgi": {"version": "3.0"}}  # fmt: skip
    await app(scope, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_actor_of_a_principal() -> None:
    principal = Principal.of("inspector-7", "王芳", "inspection-section", "inspector")
    assert actor_of(principal) == Actor(id="inspector-7", role="inspector", name="王芳")
