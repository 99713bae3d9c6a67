"""A certification body's system: the violations the bureau finds against its certificates.

Needs ``pip install 'ccc-contracts[subscriber]'`` (and the driver of its database). The body's
NATS account (``ccc-admin subscribers add cccf --grant registry --grant inspection``) reads the
registry's stream (to know which certificates are its own) and inspection's (the violations).
A violation found before inspection published version 2 of ``ViolationFound`` arrives upcast:
``found_at`` and ``external_jurisdiction`` are empty. Each event is recorded once.

The two streams are read by two consumers, in no set order between them: a violation may
arrive before the registration of its certificate. So every violation naming a certificate is
kept, and ``violations_against`` joins them with the body's certificates when asked. Run it::

    NATS_PASSWORD=... python docs/examples/certification_body.py --body CCCF --user cccf \\
        --nats nats://127.0.0.1:4222 --database sqlite:///cccf.db
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    MetaData,
    String,
    Table,
    insert,
    select,
)

from ccc_contracts.inspection import ViolationFound
from ccc_contracts.registry import CertificateRegistered
from ccc_contracts.subscriber import Received, Subscriber, asyncapi_yaml

tables = MetaData()
our_certificates = Table(
    "our_certificates",
    tables,
    Column("certificate_number", String(64), primary_key=True),
    Column("holder_credit_code", String(18), nullable=False),
)
violations = Table(
    "violations",
    tables,
    Column("violation_id", String(128), primary_key=True),
    Column("certificate_number", String(64), nullable=False),
    Column("enterprise_credit_code", String(18), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("article", String(64), nullable=False),
    Column("found_at", String(300)),
    Column("found", DateTime(timezone=True), nullable=False),
    Column("found_by", String(64), nullable=False),
    Column("event_id", String(36), nullable=False),
)


def violations_against(conn: Connection) -> list[tuple[str, str, str | None, str]]:
    """The violations found against this body's certificates: id, certificate, place, by whom."""
    query = (
        select(
            violations.c.violation_id,
            violations.c.certificate_number,
            violations.c.found_at,
            violations.c.found_by,
        )
        .join(
            our_certificates,
            our_certificates.c.certificate_number == violations.c.certificate_number,
        )
        .order_by(violations.c.violation_id)
    )
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def build(body: str, name: str, database_url: str, **options: Any) -> Subscriber:
    """The body's subscriber: ``body`` is its code in the register, ``name`` its account."""
    subscriber = Subscriber(name, database_url=database_url, **options)
    tables.create_all(subscriber.engine)

    @subscriber.handles(CertificateRegistered)
    def registered(event: Received[CertificateRegistered], conn: Connection) -> None:
        """Remember the certificates this body issued."""
        if event.data.certification_body == body:
            conn.execute(
                insert(our_certificates).values(
                    certificate_number=event.data.certificate_number,
                    holder_credit_code=event.data.holder_credit_code,
                )
            )

    @subscriber.handles(ViolationFound)
    def violation_found(event: Received[ViolationFound], conn: Connection) -> None:
        """Keep a violation naming a certificate (Order 117 art 27: its body follows up)."""
        data = event.data
        if data.certificate_number is None:
            return
        conn.execute(
            insert(violations).values(
                violation_id=data.violation_id,
                certificate_number=data.certificate_number,
                enterprise_credit_code=data.enterprise_credit_code,
                kind=data.kind,
                article=data.article,
                found_at=data.found_at,
                found=event.event.occurred_at,
                found_by=event.event.actor.id,
                event_id=event.event.event_id,
            )
        )

    return subscriber


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    parser.add_argument("--body", required=True, help="the body's code, e.g. CCCF")
    parser.add_argument("--user", required=True, help="the NATS account (password: NATS_PASSWORD)")
    parser.add_argument("--asyncapi", action="store_true", help="print its AsyncAPI (YAML), stop")
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of its database")
    arguments = parser.parse_args()
    subscriber = build(arguments.body, arguments.user, arguments.database)
    if arguments.asyncapi:
        print(asyncapi_yaml(subscriber, arguments.nats))
        return
    password = os.environ.get("NATS_PASSWORD", "")
    asyncio.run(subscriber.serve(arguments.nats, user=arguments.user, password=password))


if __name__ == "__main__":
    main()
