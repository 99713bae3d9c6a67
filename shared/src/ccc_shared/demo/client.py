"""A small JSON-over-HTTP client for the demo and the end-to-end tests (standard library only).

Each request names its caller: the headers come from a function of the role, so the same
driver works with identity headers or bearer tokens.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Credentials = Callable[[str], Mapping[str, str]]


class ServiceError(RuntimeError):
    """A request the service answered with an error status."""

    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} -> {status}: {body[:500]}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class ServiceClient:
    """Calls one service's HTTP API as a person in a role."""

    base_url: str
    credentials: Credentials
    timeout: float = 10.0

    def request(self, method: str, path: str, body: Any = None, *, role: str = "inspector") -> Any:
        """Send a JSON request and return the decoded JSON answer; an error status raises."""
        if body is None:
            return self.send(method, path, None, None, role=role)
        data = json.dumps(body, ensure_ascii=False).encode()
        return self.send(method, path, data, "application/json; charset=utf-8", role=role)

    def upload(self, path: str, content: bytes, content_type: str, *, role: str) -> Any:
        """POST a file as the request body."""
        return self.send("POST", path, content, content_type, role=role)

    def send(
        self, method: str, path: str, data: bytes | None, content_type: str | None, *, role: str
    ) -> Any:
        """Send raw bytes and return the decoded JSON answer; an error status raises."""
        headers = {"Accept": "application/json", **self.credentials(role)}
        if content_type is not None:
            headers["Content-Type"] = content_type
        url = f"{self.base_url}{path}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise ServiceError(method, url, error.code, error.read().decode()) from None
        return json.loads(raw) if raw else None

    def get(self, path: str, *, role: str = "auditor") -> Any:
        """A query."""
        return self.request("GET", path, role=role)

    def post(self, path: str, body: Any = None, *, role: str = "inspector") -> Any:
        """A command."""
        return self.request("POST", path, body, role=role)

    def post_once(self, path: str, body: Any = None, *, role: str = "inspector") -> Any:
        """A creating command that may have run before (a resumed demo): 409 means done."""
        try:
            return self.post(path, body, role=role)
        except ServiceError as error:
            if error.status == 409:
                return None
            raise
