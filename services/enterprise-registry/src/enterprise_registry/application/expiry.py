"""Automatic expiry (art 24): a sweep that expires every certificate past its expiry date.

Durable by construction: each sweep reads the certificates read model, so a sweep missed while
the service was down is made up by the next one (at start, then every N minutes). Each
certificate is expired through ``execute``, so two sweeps never expire one twice: the second
finds it expired (skipped) or loses the concurrency check (nothing written).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from ccc_contracts.envelope import Actor, EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
from ccc_shared.eventstore.sql import SqlEventStore
from enterprise_registry.application.handling import execute
from enterprise_registry.domain.base import DomainError
from enterprise_registry.domain.certificate_commands import ExpireCertificate
from enterprise_registry.projections.tables import certificates

log = logging.getLogger(__name__)

EXPIRING = ("valid", "suspended")


def overdue(conn: Connection, today: date) -> list[str]:
    """Numbers of the certificates valid or suspended whose validity ended before today."""
    query = (
        select(certificates.c.number)
        .where(certificates.c.expires_on < today, certificates.c.status.in_(EXPIRING))
        .order_by(certificates.c.number)
    )
    return list(conn.execute(query).scalars())


@dataclass
class ExpirySweep:
    """Expires overdue certificates as the service itself, on the bureau's calendar."""

    store: SqlEventStore
    service_name: str
    clock: Callable[[], date]

    def run(self) -> list[str]:
        """Expire every overdue certificate; the numbers of those this sweep expired."""
        today = self.clock()
        with self.store.reading() as conn:
            numbers = overdue(conn, today)
        metadata = EventMetadata(actor=Actor.service(self.service_name))
        expired = []
        for number in numbers:
            command = ExpireCertificate(number=number, reason="validity ended without renewal")
            try:
                recorded = execute(self.store, command, metadata, today=today)
            except (DomainError, ConcurrencyError) as error:  # changed meanwhile: next sweep
                log.info("expiry sweep skipped certificate %s: %s", number, error)
                continue
            if recorded:
                expired.append(number)
        if expired:
            log.info("expiry sweep expired %d certificate(s): %s", len(expired), expired)
        return expired
