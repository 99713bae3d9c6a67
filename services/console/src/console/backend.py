"""The services' HTTP APIs, called with the signed-in person's token (the console decides nothing).

Every refusal becomes a ``RefusedError`` carrying the status, the service's own words and its
machine-readable reason (``kind``, ``reason`` or ``code``), so the page can say it in the
person's language from the message catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import structlog

log = structlog.get_logger("console.backend")
SERVICES = ("registry", "inspection", "enforcement", "notification")


@dataclass
class RefusedError(Exception):
    """A service said no (or could not be reached): what a page shows instead of a result."""

    status: int
    service: str
    detail: str = ""
    reason: str = ""
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.service} {self.status} {self.reason}: {self.detail}"


class Backend:
    """One HTTP client per service; each call names the person by their bearer token."""

    def __init__(self, urls: Mapping[str, str], timeout: float = 15.0) -> None:
        self._clients = {
            name: httpx.AsyncClient(base_url=urls[name], timeout=timeout) for name in SERVICES
        }

    async def close(self) -> None:
        """Close every connection pool."""
        for client in self._clients.values():
            await client.aclose()

    async def get(self, service: str, path: str, token: str, **params: Any) -> Any:
        """A query; an error status raises RefusedError."""
        query = {key: value for key, value in params.items() if value not in (None, "")}
        return await self._send(service, "GET", path, token, params=query)

    async def post(self, service: str, path: str, token: str, body: Any = None) -> Any:
        """A command with a JSON body; an error status raises RefusedError."""
        return await self._send(service, "POST", path, token, json=body)

    async def upload(
        self, service: str, path: str, token: str, content: bytes, name: str, media_type: str
    ) -> Any:
        """A file as the request body (a penalty decision document), its name per RFC 8187."""
        headers = {
            "Content-Type": media_type or "application/octet-stream",
            "X-Filename": "UTF-8''" + quote(name or "decision.pdf", safe=""),
        }
        return await self._send(service, "POST", path, token, content=content, headers=headers)

    async def _send(self, service: str, method: str, path: str, token: str, **options: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}", **options.pop("headers", {})}
        try:
            response = await self._clients[service].request(
                method, path, headers=headers, **options
            )
        except httpx.HTTPError as error:
            log.warning("service unreachable", service=service, path=path, error=str(error))
            raise RefusedError(503, service, str(error), "unavailable") from error
        if response.status_code >= 400:
            raise refusal_of(service, response)
        return response.json() if response.content else None


def refusal_of(service: str, response: httpx.Response) -> RefusedError:
    """The refusal an error answer holds: plain detail, Problem Details, or a 422 list."""
    try:
        body = response.json()
    except ValueError:
        body = {"detail": response.text[:300]}
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    fields: list[str] = []
    if isinstance(detail, list):  # FastAPI validation errors: [{"loc": [...], "msg": ...}]
        fields = [str(item.get("loc", ["", "?"])[-1]) for item in detail if isinstance(item, dict)]
        detail = "; ".join(str(item.get("msg", "")) for item in detail if isinstance(item, dict))
    reason = ""
    if isinstance(body, dict):
        reason = str(body.get("code") or body.get("kind") or body.get("reason") or "")
        fields = fields or [str(name) for name in body.get("fields", [])]
    return RefusedError(response.status_code, service, str(detail), reason, fields)
