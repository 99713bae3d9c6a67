"""Automatic expiry (art 24): a sweep that expires every certificate past its expiry date.

Durable by construction: each sweep reads the certificates read model, so a sweep missed while
the service was down is made up by the next one (at start, then every N minutes). Each
certificate is expired through ``execute``, so two sweeps never expire one twice: the second
finds it expired (skipped) or loses the concurrency check (nothing written).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from ccc_shared.application import Application
from ccc_shared.eventstore.envelope import EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
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


def expire_overdue(app: Application[Any]) -> list[str]:
    """Expire every overdue certificate as the service itself; the numbers this sweep expired."""
    today = app.today()
    with app.store.reading() as conn:
        numbers = overdue(conn, today)
    metadata = EventMetadata(actor=app.actor)
    expired = []
    for number in numbers:
        command = ExpireCertificate(number=number, reason="validity ended without renewal")
        try:
            recorded = app.execute(command, metadata, today=today)
        except (DomainError, ConcurrencyError) as error:  # changed meanwhile: next sweep
            log.info("expiry sweep skipped certificate %s: %s", number, error)
            continue
        if recorded:
            expired.append(number)
    if expired:
        log.info("expiry sweep expired %d certificate(s): %s", len(expired), expired)
    return expired
