"""Events as the bureau's services publish them: appended to a real event store (SQLite), read
from its outbox with their real hashes, then published on the registry's or inspection's stream.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nats.aio.client import Client as NatsClient
from sqlalchemy import select

from ccc_contracts import all_contracts
from ccc_contracts.base import EventData
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_contracts.inspection import ViolationFound, ViolationFoundV1
from ccc_contracts.registry import (
    CertificateRegistered,
    CertificateRevoked,
    CertificateSuspended,
)
from ccc_shared.eventstore.schema import outbox
from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import ensure_stream, event_stream

HOLDER = "91330100MA00050076"
BODY = "CCCF"


@dataclass(frozen=True)
class Published:
    """One event's wire form, as the relay sends it."""

    event_id: str
    subject: str
    body: str

    @property
    def envelope(self) -> dict[str, object]:
        return dict(json.loads(self.body))


class Bureau:
    """A stand-in for the services' stores: appends contract events, hands out their wire form."""

    def __init__(self, folder: Path) -> None:
        self.stores = {
            context: SqlEventStore(
                f"sqlite:///{folder / context}.db",
                registry=all_contracts(),
                source=f"{context}-service",
                context=context,
            )
            for context in ("registry", "inspection", "enforcement")
        }
        for store in self.stores.values():
            store.migrate()
        self.sent = 0

    def record(self, context: str, stream: StreamId, *events: EventData) -> list[Published]:
        """Append to the context's store; return the outbox rows of these events."""
        store = self.stores[context]
        actor = Actor(id="registrar-7", role="admin", name="王登记")
        version = store.stream_version(stream)
        recorded = store.append(stream, list(events), version, EventMetadata(actor=actor))
        ids = [event.event_id for event in recorded]
        with store.engine.connect() as conn:
            query = select(outbox).where(outbox.c.event_id.in_(ids)).order_by(outbox.c.id)
            rows = conn.execute(query)
            return [Published(row.event_id, row.subject, row.body) for row in rows]

    def close(self) -> None:
        for store in self.stores.values():
            store.close()


async def publish(client: NatsClient, context: str, events: list[Published]) -> None:
    """Publish as the context's service does (message id = event id)."""
    js = client.jetstream()
    await ensure_stream(js, event_stream(context))
    for event in events:
        headers = {"Nats-Msg-Id": event.event_id}
        await js.publish(event.subject, event.body.encode(), headers=headers)


def certificate(number: str, *, on: date = date(2026, 1, 9)) -> CertificateRegistered:
    return CertificateRegistered(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body=BODY, article="Order 117 art 19", effective_on=on,
        reason_code="issued", manufacturer="浙江消防器材有限公司", factory="杭州工厂",
        models=["MFZ/ABC4"], issued_on=on, expires_on=date(2031, 1, 8),
    )  # fmt: skip


def suspension(number: str) -> CertificateSuspended:
    return CertificateSuspended(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body=BODY, article="Order 117 art 27", effective_on=date(2026, 11, 27),
        reason_code="follow_up_refused_or_failed", reason="跟踪检查拒绝\n两次",
    )  # fmt: skip


def revocation(number: str) -> CertificateRevoked:
    return CertificateRevoked(
        certificate_number=number, holder_credit_code=HOLDER, product_category="1812",
        certification_body=BODY, article="Order 117 art 28", effective_on=date(2026, 12, 1),
        reason_code="product_mismatch",
    )  # fmt: skip


def violation(violation_id: str, number: str, *, v1: bool = False) -> EventData:
    fields = {
        "violation_id": violation_id, "enterprise_credit_code": HOLDER,
        "kind": "certificate_invalid", "article": "Order 117 art 27",
        "inspection_id": "INS-1", "certificate_number": number, "evidence": ["现场照片 3 张"],
    }  # fmt: skip
    return ViolationFoundV1(**fields) if v1 else ViolationFound(**fields)
