"""The OpenAPI side of access control: the bearer scheme, and who may call each operation.

Every operation but the public ones gets ``security: [{bearer: []}]`` (so /docs offers
"Authorize"), a 401 response, and a 403 response naming the roles the table allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI

SCHEME = "bearer"


def document_access(
    app: FastAPI,
    routes: Callable[[], list[Any]],
    roles_of: Callable[[Any], frozenset[str]],
    public: frozenset[str],
) -> None:
    """Make ``app.openapi()`` describe the bearer scheme and each operation's allowed roles."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})[SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "description": "a JWT signed by the bureau, or an opaque token from the users file",
        }
        by_operation = {
            (_openapi_path(route.path), method.lower()): route
            for route in routes()
            for method in route.methods
        }
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                route = by_operation.get((path, method))
                if route is None or route.name in public:
                    continue
                _describe(operation, sorted(roles_of(route)))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _openapi_path(path: str) -> str:
    """``/cases/{case_id:int}`` -> ``/cases/{case_id}`` as OpenAPI writes it."""
    return re.sub(r"{([^}:]+):[^}]+}", r"{\1}", path)


def _describe(operation: dict[str, Any], roles: list[str]) -> None:
    operation["security"] = [{SCHEME: []}]
    responses: Mapping[str, Any] = operation.setdefault("responses", {})
    allowed = ", ".join(roles) if roles else "nobody (not in the access table)"
    operation["responses"] = {
        **responses,
        "401": {"description": "No bearer token, or one that is malformed, expired or unknown"},
        "403": {"description": f"The caller's roles do not allow this; allowed: {allowed}"},
    }
