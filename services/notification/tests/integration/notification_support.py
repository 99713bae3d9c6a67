"""What the notification integration tests share: a movable clock, a real webhook receiver and
SMTP server on loopback, the running service, and the other services' events."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from ccc_contracts.base import EventData
from ccc_contracts.envelope import Actor, RecordedEvent, new_event_id, utcnow
from ccc_shared.testing import harness
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.harness import ServiceUnderTest
from notification.application.destinations import Resolver, resolve_host
from notification.main import Settings, create_app

credit_code = harness.fresh_credit_code  # a valid code, unique in the session
eventually = harness.eventually

ADMIN = actor_headers("admin")  # keeps the directory
AUDITOR = actor_headers("auditor")  # reads everything, changes nothing
NO_HASH = "0" * 64
SECRET = "a-shared-webhook-secret-of-the-body"


class MovableClock:
    """The service's clock: real time, shifted by as much as the test moved it."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.offset += delta

    def set_to(self, moment: datetime) -> None:
        """Make it ``moment`` now (time goes on from there)."""
        self.offset = moment - utcnow()


@dataclass
class Received:
    """One webhook request as the receiver saw it."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as JSON."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def signature_valid(self, secret: str) -> bool:
        """Whether the HMAC-SHA256 signature matches the body and timestamp."""
        signed = self.headers["x-ccc-timestamp"].encode() + b"." + self.body
        expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.headers.get("x-ccc-signature", ""))


@dataclass
class WebhookReceiver:
    """A real HTTP server on loopback: answers ``status``, keeps every request it got.

    Like a careful receiver it shows a notice once per idempotency key (``shown``). With a
    ``hold``, every request waits until the test sets it (a webhook hanging as long as needed).
    """

    status: int = 204
    delay: float = 0.0
    hold: threading.Event | None = None
    requests: list[Received] = field(default_factory=list)
    shown: dict[str, Received] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The receiver's URL."""
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def start(self) -> WebhookReceiver:
        """Serve in a thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                got = Received({k.lower(): v for k, v in self.headers.items()}, body)
                receiver.requests.append(got)
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                if receiver.hold is not None:
                    receiver.hold.wait(60)
                if receiver.status < 300:
                    receiver.shown.setdefault(got.headers["idempotency-key"], got)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving (releasing any request still held)."""
        if self.hold is not None:
            self.hold.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback, keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Keep the message."""
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@dataclass
class NotificationService(ServiceUnderTest):
    """The running service as a test sees it: HTTP client, store, bus, clock."""

    stream = "CCC_NOTIFICATION"

    clock: MovableClock

    async def envelopes_of_type(self, event_type: str) -> list[dict[str, Any]]:
        """The envelopes of one type on CCC_NOTIFICATION."""
        return [m for m in await self.published() if m["event_type"] == event_type]

    async def settled(self) -> None:
        """Wait until every subscription has applied what was published so far."""
        for runner in self.app.state.kernel.runners:
            await runner.wait_idle()

    async def notifications(self, **filters: str) -> list[dict[str, Any]]:
        """Notices, as the list endpoint gives them."""
        response = await self.http.get("/notifications", params=filters, headers=AUDITOR)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def notice_for(self, cause_event_id: str, recipient: str, rule: str) -> str:
        """The id of the notice a cause gave a recipient, as the service lists it (waiting for
        it), checked to be under ``rule``: found, not recomputed by the code under test."""

        async def listed() -> list[dict[str, Any]]:
            return await self.notifications(cause_event_id=cause_event_id, recipient=recipient)

        found = await eventually(listed)
        assert [item["rule"] for item in found] == [rule]
        notice: str = found[0]["notification_id"]
        return notice

    async def inbox(self, recipient: str, role: str = "case_officer") -> dict[str, Any]:
        """A recipient's inbox page, as its owner reads it (a member of staff in ``role``)."""
        owner = owner_headers(recipient, role)
        response = await self.http.get(f"/inbox/{recipient}", headers=owner)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    async def put_recipient(self, recipient: str, *channels: dict[str, Any],
                            language: str = "zh") -> None:  # fmt: skip
        """List a recipient in the directory."""
        body = {"name": recipient, "language": language, "channels": list(channels)}
        response = await self.http.put(f"/directory/{recipient}", json=body, headers=ADMIN)
        assert response.status_code == 200, response.text


def owner_headers(recipient: str, role: str = "case_officer") -> dict[str, str]:
    """The token of the person whose inbox ``recipient`` is (a section head for theirs)."""
    if recipient.startswith("staff:"):
        return actor_headers(role, user_id=recipient.removeprefix("staff:"))
    return actor_headers("section_head")


@asynccontextmanager
async def running(
    settings: Settings, clock: MovableClock, nats_url: str, resolve: Resolver = resolve_host
) -> AsyncIterator[NotificationService]:
    """The notification app running (its kernel, runners and periodic jobs) until the block ends;
    ``resolve`` looks up webhook host names (DNS unless a test gives its own)."""
    import nats

    app = create_app(settings, clock=clock, resolve=resolve)
    nc = await nats.connect(nats_url)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://notification") as http,
        ):
            yield NotificationService(app, http, nc, clock)
    finally:
        await nc.close()


def published_event(
    context_source: str, aggregate_type: str, aggregate_id: str, data: EventData
) -> RecordedEvent:
    """A contract event as another service publishes it."""
    now = utcnow()
    return RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, aggregate_type, aggregate_id,
        1, now, now, Actor(id="officer-3", role="case_officer"), str(new_event_id()), None,
        context_source, data, NO_HASH, NO_HASH,
    )  # fmt: skip
