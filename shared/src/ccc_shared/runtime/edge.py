"""What every service's HTTP edge enforces before a route runs: body limits, safe headers.

A request body is refused with 413 once it is larger than its route's limit: at once when its
``Content-Length`` says so (nothing is read), else while it streams in (chunked, or a length
that lies), counted message by message, so no route ever holds more than the limit. JSON
commands share a small limit; an upload route (a document, a feed file) names its own larger
one. Every answer says ``X-Content-Type-Options: nosniff``, so a browser never guesses a type.

FastAPI 0.165's own ``max_body_size`` answers a refused ``Content-Length`` in plain text and
does not say the limit; these answers are JSON and name it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ccc_shared.runtime.access import RouteInfo, app_routes
from ccc_shared.runtime.problem import MEDIA_TYPE, problem

NOSNIFF = (b"x-content-type-options", b"nosniff")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def too_large_detail(limit: int) -> str:
    """The refusal's message, naming the limit."""
    kib = limit // 1024
    return f"the request body is larger than this route's limit of {limit} bytes ({kib} KiB)"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body streams past its limit; FastAPI answers it as 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_detail(limit))
        self.limit = limit


class RequestBodyLimit:
    """ASGI middleware: 413 for a body past its route's limit, before or while it is read."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        route_limits: Callable[[], Iterable[tuple[RouteInfo, int]]] = lambda: (),
    ) -> None:
        self.app = app
        self.limit = limit
        self._load_route_limits = route_limits
        self._route_limits: list[tuple[RouteInfo, int]] | None = None

    def limit_for(self, scope: Scope) -> int:
        """The limit of the route this request reaches (the default for all others)."""
        if self._route_limits is None:  # routes are complete once the app serves requests
            self._route_limits = list(self._load_route_limits())
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        for route, limit in self._route_limits:
            if route.pattern.match(path) and scope["method"] in route.methods:
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:  # refused before a byte is read
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:  # a route that let it pass (FastAPI itself answers it as 413)
            if started:
                raise
            await _refuse(send, limit)


class NoSniff:
    """ASGI middleware: every answer says ``X-Content-Type-Options: nosniff``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != NOSNIFF[0]]
                message = {**message, "headers": [*headers, NOSNIFF]}
            await send(message)

        await self.app(scope, receive, with_header)


def install_edge(app: FastAPI, *, limit: int, upload_limits: Mapping[str, int]) -> None:
    """Limit every route's body (``upload_limits``: route name -> its own limit), add nosniff,
    and document the 413 on every operation that takes a body."""

    def route_limits() -> list[tuple[RouteInfo, int]]:
        named = {route.name: route for route in app_routes(app)}
        missing = set(upload_limits) - set(named)
        if missing:  # a renamed route would silently fall back to the small limit
            raise RuntimeError(f"upload routes not in the app: {sorted(missing)}")
        return [(named[name], size) for name, size in upload_limits.items()]

    app.add_middleware(RequestBodyLimit, limit=limit, route_limits=route_limits)
    build_stack = app.build_middleware_stack  # outermost: even access refusals and 500s

    def build_middleware_stack() -> ASGIApp:
        return NoSniff(build_stack())

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]
    document_limits(app, limit, upload_limits)


def document_limits(app: FastAPI, limit: int, upload_limits: Mapping[str, int]) -> None:
    """Make ``app.openapi()`` list the 413 of every operation that may take a body."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        names = {(r.path, m.lower()): r.name for r in app_routes(app) for m in r.methods}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if method.upper() not in BODY_METHODS:
                    continue
                size = upload_limits.get(names.get((path, method), ""), limit)
                responses = operation.setdefault("responses", {})
                known = responses.get("413", {}).get("description")  # the event's size, too
                limited = f"The body is larger than {size} bytes; nothing was done"
                description = (
                    f"{known} (this route's body limit: {size} bytes)" if known else limited
                )
                responses["413"] = {**responses.get("413", {}), "description": description}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _content_length(scope: Scope) -> int | None:
    """The declared body length, or None (absent or not a number: the server frames it)."""
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    """Answer 413 as Problem Details, naming the limit."""
    detail = too_large_detail(limit)
    refusal = problem(413, "request.too_large", detail, limit_bytes=limit)
    body = json.dumps(refusal).encode()
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the unread body is not waited for
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
