"""Refusals as Problem Details (RFC 9457): one shape for every error answer of the services.

Every error answer is ``application/problem+json`` with ``type`` (``urn:ccc:problem:<code>``),
``title`` (the HTTP status phrase), ``status``, ``detail`` (the service's own sentence; a list
of the offending inputs for request validation, as FastAPI gives it), ``code`` (stable and
dotted, one per rule: clients key their messages on it) and ``fields`` (the request fields
concerned, where known), plus the extension members older clients read (``kind``,
``reason``, ``retry``, ``limit_bytes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:ccc:problem:"

# The code of an answer that names no rule of its own, by status.
STATUS_CODES: dict[int, str] = {
    400: "request.unreadable",
    401: "access.unauthenticated",
    403: "access.forbidden",
    404: "resource.not_found",
    405: "request.method_not_allowed",
    409: "rule.unspecified",
    413: "request.too_large",
    415: "request.unsupported_media_type",
    422: "request.invalid",
    503: "service.unavailable",
}


class Refusal(HTTPException):
    """An HTTP refusal of a route naming its rule: ``code`` and ``fields`` as in ``DomainError``
    (a 404, 403, 415 or 422 decided in the route rather than by an aggregate)."""

    def __init__(
        self, status_code: int, detail: Any, *, code: str, fields: Sequence[str] = ()
    ) -> None:
        super().__init__(status_code, detail)
        self.code = code
        self.fields = tuple(fields)


def status_code_of(status: int) -> str:
    """The generic code of an answer with ``status``."""
    return STATUS_CODES.get(status, f"http.{status}")


def problem(
    status: int,
    code: str,
    detail: Any,
    *,
    fields: Iterable[str] = (),
    **extensions: Any,
) -> dict[str, Any]:
    """The Problem Details body of a refusal."""
    return {
        "type": TYPE_PREFIX + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "fields": list(dict.fromkeys(fields)),
        **extensions,
    }


def problem_response(
    status: int,
    code: str,
    detail: Any,
    *,
    fields: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A refusal answered as ``application/problem+json``."""
    body = problem(status, code, detail, fields=fields, **extensions)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def loc_fields(errors: Iterable[Mapping[str, Any]]) -> list[str]:
    """The field names of validation errors (the last part of each ``loc`` naming a field)."""
    names = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
        if loc and loc[-1] not in {"body", "query", "path", "header"}:
            names.append(loc[-1])
    return names


class Problem(BaseModel):
    """A refusal (RFC 9457 Problem Details), with the rule's stable ``code``."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:ccc:problem:<code>")
    title: str = Field(description="The HTTP status phrase")
    status: int
    detail: str | list[Any] = Field(
        description="The service's sentence (for request validation: the offending inputs)"
    )
    code: str = Field(description="The rule refused, stable and dotted (see docs/refusals.md)")
    fields: list[str] = Field(description="Request fields the refusal concerns, where known")


def problem_content() -> dict[str, Any]:
    """The OpenAPI ``content`` of an error response (the schema is ``Problem``'s)."""
    return {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


# Probes answer their own JSON (a load balancer reads the status, an operator the reasons).
PROBES = frozenset({"/ready", "/health"})


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare every 4xx/5xx answer of ``schema`` as a Problem (content and the schema)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, operations in schema.get("paths", {}).items():
        if path in PROBES:
            continue
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status)[:1] in {"4", "5"} and isinstance(response, dict):
                    response["content"] = problem_content()
    return schema


def install_problem_answers(app: FastAPI) -> None:
    """Answer FastAPI's own refusals (HTTP errors, request validation) as Problem Details and
    declare every error answer of ``app.openapi()`` as a ``Problem``."""

    async def http_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        extensions: dict[str, Any] = {}
        limit = getattr(error, "limit", None)
        if isinstance(limit, int):  # the edge's body limit (runtime.edge.BodyTooLarge)
            extensions["limit_bytes"] = limit
        detail = error.detail
        fields = getattr(error, "fields", None) or (
            loc_fields(detail) if isinstance(detail, list) else ()
        )
        return problem_response(
            error.status_code,
            getattr(error, "code", None) or status_code_of(error.status_code),
            detail,
            fields=fields,
            headers=error.headers,
            **extensions,
        )

    async def invalid_request(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = error.errors()
        return problem_response(
            422, "request.invalid", jsonable_encoder(errors), fields=loc_fields(errors)
        )

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
