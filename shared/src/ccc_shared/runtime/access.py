"""Who may do what: rows (operation x roles) each service declares, applied the same way.

An operation is ``"<service>:<route function name>"`` (``"inspection:schedule_inspection"``).
A route's HTTP method says whether it is a query (GET/HEAD) or a command (anything else).
Rules, checked before any handler runs so a refused request changes nothing:
- deny by default: a route missing from the table is refused (403) for everyone;
- auditors read everything and change nothing: every listed query allows ``auditor``, and a
  table that lists ``auditor`` for a command is refused when the app is built;
- no token or a bad one: 401; a role the table does not list for the operation: 403.
The caller's principal is left on ``request.state.principal`` and the actor events are to
name on ``request.state.actor`` (never taken from the request body).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from re import Pattern
from typing import Any

import structlog
from fastapi import FastAPI, Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from ccc_contracts.envelope import Actor
from ccc_shared.runtime.access_docs import document_access
from ccc_shared.runtime.auth import ROLES, AuthenticationError, Authenticator, Principal
from ccc_shared.runtime.problem import MEDIA_TYPE, problem, status_code_of

AccessTable = Mapping[str, frozenset[str]]
log = structlog.get_logger("ccc.access")

QUERY_METHODS = frozenset({"GET", "HEAD"})
AUDITOR = "auditor"
# Routes anyone may call without a token: liveness, readiness and metrics (for the probes and
# the scraper on the service network), and the API's own documentation.
PUBLIC_ROUTES = frozenset(
    {"health", "ready", "metrics", "openapi", "swagger_ui_html", "swagger_ui_redirect",
     "redoc_html"}
)  # fmt: skip

# Who reads: every member of staff and the services' own machine callers (auditors are added
# to every query by ``allowed_roles``).
STAFF = frozenset({"inspector", "case_officer", "section_head", "admin"})
READERS = STAFF | {"system"}
HEADS = frozenset({"section_head", "admin"})
INSPECTORS = frozenset({"inspector", "section_head"})
OFFICERS = frozenset({"case_officer", "section_head"})
MACHINES = frozenset({"system", "admin"})
# A certification body's decisions reach the register from its feed (machine) or are keyed in
# by the section head; inspectors survey enterprises and open their dossiers.
CERTIFICATE_CHANGES = HEADS | MACHINES
SURVEYORS = INSPECTORS | {"admin"}

# The rows of no one service: the console reads the public record (the streams) for these roles
# (ccc_audit.timeline; auditors are added to every query). Each service declares its own rows
# on its record (``<package>/access.py``, ``Service.access``).
SHARED_ACCESS: dict[str, frozenset[str]] = {
    "audit:audit_timeline": frozenset({"admin"}),
}


def is_query(methods: set[str] | frozenset[str] | None) -> bool:
    """A route is a query when it only reads: every method it answers is GET or HEAD."""
    return methods is not None and bool(methods) and set(methods) <= QUERY_METHODS


def allowed_roles(table: AccessTable, operation: str, *, query: bool) -> frozenset[str]:
    """The roles that may call ``operation`` (empty when the table does not list it)."""
    roles = table.get(operation)
    if roles is None:
        return frozenset()
    return roles | {AUDITOR} if query else roles - {AUDITOR}


def acting_role(principal: Principal, roles: frozenset[str]) -> str | None:
    """The first of the principal's roles (in ROLES order) that ``roles`` allows, if any."""
    return next((role for role in ROLES if role in principal.roles and role in roles), None)


def actor_of(principal: Principal, role: str | None = None) -> Actor:
    """The actor an event names for a principal acting in ``role`` (default: its first)."""
    chosen = role or next(role for role in ROLES if role in principal.roles)
    return Actor(id=principal.user_id, role=chosen, name=principal.name or None)


def request_actor(request: Request) -> Actor | None:
    """The actor access control resolved for this request (None on public routes)."""
    actor: Actor | None = getattr(request.state, "actor", None)
    return actor


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """One route of an app: its function name, methods and path, and its path pattern."""

    name: str
    methods: frozenset[str]
    path: str
    pattern: Pattern[str]

    @property
    def query(self) -> bool:
        """Whether the route only reads (GET/HEAD)."""
        return is_query(self.methods)

    @property
    def method(self) -> str:
        """The method to call the route with (a command's, else GET)."""
        return min(self.methods - {"HEAD"}, default="GET")


def app_routes(app: FastAPI) -> list[RouteInfo]:
    """Every route of the app in matching order, routers included (lazily or not)."""
    return [
        RouteInfo(name, frozenset(methods or ()), path, compile_path(path)[0])
        for name, methods, path in _flatten(app.router.routes)
    ]


def _flatten(routes: Any) -> Iterator[tuple[str, set[str] | None, str]]:
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)  # FastAPI's lazy includes
        if callable(contexts):
            yield from _flatten(contexts())
        elif getattr(route, "path", None) is not None and getattr(route, "name", None):
            yield route.name, getattr(route, "methods", None), route.path


def unlisted_routes(app: FastAPI, service: str, table: AccessTable) -> list[str]:
    """Operations of the app the table does not list (refused to everyone until listed)."""
    return [
        f"{service}:{route.name}"
        for route in app_routes(app)
        if route.name not in PUBLIC_ROUTES and f"{service}:{route.name}" not in table
    ]


def stale_entries(app: FastAPI, service: str, table: AccessTable) -> list[str]:
    """Table entries of ``service`` naming no route of the app (renamed or removed routes)."""
    names = {f"{service}:{route.name}" for route in app_routes(app)}
    return sorted(op for op in table if op.startswith(f"{service}:") and op not in names)


def access_matrix(
    app: FastAPI, service: str, table: AccessTable
) -> list[tuple[RouteInfo, str, bool]]:
    """Every (route, role, allowed) of the app, for a test that tries each with each role."""
    return [
        (route, role, role in allowed_roles(table, f"{service}:{route.name}", query=route.query))
        for route in app_routes(app)
        if route.name not in PUBLIC_ROUTES
        for role in ROLES
    ]


def probe_path(route: RouteInfo, value: str = "0") -> str:
    """The route's path with every parameter filled in (for matrix tests)."""
    return re.sub(r"{[^}]+}", value, route.path)


def check_table(app: FastAPI, service: str, table: AccessTable) -> None:
    """Refuse a table that lets auditors (or unknown roles) in where the rules forbid it."""
    for operation, roles in table.items():
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"{operation}: unknown roles {sorted(unknown)}")
    for route in app_routes(app):
        operation = f"{service}:{route.name}"
        if not route.query and AUDITOR in table.get(operation, frozenset()):
            raise ValueError(f"{operation} is a command: auditors change nothing")


def install_access_control(
    app: FastAPI,
    service: str,
    authenticator: Authenticator,
    table: AccessTable,
    *,
    public: frozenset[str] = PUBLIC_ROUTES,
) -> None:
    """Authenticate and authorise every request of ``app`` before its route runs."""
    check_table(app, service, table)
    app.add_middleware(
        AccessControl,
        service=service,
        authenticator=authenticator,
        table=table,
        public=public,
        routes=lambda: app_routes(app),
    )
    app.state.access_table = table
    document_access(
        app,
        lambda: app_routes(app),
        lambda route: allowed_roles(table, f"{service}:{route.name}", query=route.query),
        public,
    )


class AccessControl:
    """ASGI middleware: 401 without a valid token, 403 for a role the table does not allow."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        authenticator: Authenticator,
        table: AccessTable,
        public: frozenset[str],
        routes: Callable[[], list[RouteInfo]],
    ) -> None:
        self.app = app
        self.service = service
        self.authenticator = authenticator
        self.table = table
        self.public = public
        self._load_routes = routes
        self._routes: list[RouteInfo] | None = None

    def _route(self, scope: Scope) -> RouteInfo | None:
        """The route this request will reach (path and method), or None."""
        if self._routes is None:  # routes are complete once the app serves requests
            self._routes = self._load_routes()
        path = _route_path(scope)
        method = scope["method"]
        for route in self._routes:
            if route.pattern.match(path) and (not route.methods or method in route.methods):
                return route
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # no service serves one: deny by default
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        route = self._route(scope)
        if route is not None and route.name in self.public:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1") or None
        try:
            principal = await self.authenticator.authenticate(authorization)
        except AuthenticationError as error:  # logged without the token, never echoed
            log.info("access refused", status=401, reason=error.reason, path=scope["path"])
            await _refuse(send, 401, error.detail, error.reason, authenticate=True)
            return
        state = scope.setdefault("state", {})
        state["principal"] = principal
        if route is None:  # no such route (404) or method (405): FastAPI answers
            await self.app(scope, receive, send)
            return
        operation = f"{self.service}:{route.name}"
        role = acting_role(principal, allowed_roles(self.table, operation, query=route.query))
        if role is None:
            detail = f"{', '.join(sorted(principal.roles)) or 'no role'} may not {operation}"
            log.info("access refused", status=403, operation=operation, user_id=principal.user_id)
            await _refuse(send, 403, detail, "forbidden")
            return
        state["operation"] = operation
        state["actor"] = actor_of(principal, role)
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The request path the routes see: without the app's root path (as Starlette does)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] or "/" if root and path.startswith(root) else path


async def _refuse(
    send: Callable[[Any], Awaitable[None]],
    status: int,
    detail: str,
    reason: str,
    *,
    authenticate: bool = False,
) -> None:
    """Answer with Problem Details before the app sees the request (``reason`` kept)."""
    refusal = problem(status, status_code_of(status), detail, reason=reason)
    body = json.dumps(refusal, ensure_ascii=False).encode()
    length = str(len(body)).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", length)]
    if authenticate:  # RFC 6750 section 3
        challenge = "Bearer" if reason == "missing" else 'Bearer error="invalid_token"'
        headers.append((b"www-authenticate", challenge.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
