"""A data warehouse subscribing to CCC Supervision: a table of certificates and one of cases.

Needs ``pip install 'ccc-contracts[subscriber]' 'psycopg[binary]'``. The warehouse's NATS
account (``ccc-admin subscribers add warehouse --grant registry --grant enforcement``) reads the
registry's and enforcement's streams through consumers named ``warehouse``. Every certificate
event is watched (``ccc.registry.certificate.>``): the ones this version of ``ccc-contracts``
knows update the row, any newer type is skipped. Each event changes the tables once, in the
same transaction that records its id. Run it with::

    NATS_PASSWORD=... python docs/examples/warehouse.py --nats nats://127.0.0.1:4222 \\
        --user warehouse --database postgresql+psycopg://warehouse@127.0.0.1/warehouse
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, String, Table, insert, update

from ccc_contracts.enforcement import CaseClosed, CaseOpened
from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateChange,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRevoked,
    CertificateSuspended,
)
from ccc_contracts.subscriber import Received, Subscriber, asyncapi_yaml

NAME = "warehouse"
tables = MetaData()
certificates = Table(
    "certificates",
    tables,
    Column("certificate_number", String(64), primary_key=True),
    Column("holder_credit_code", String(18), nullable=False),
    Column("certification_body", String(64), nullable=False),
    Column("product_category", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_since", Date, nullable=False),
    Column("expires_on", Date),
    Column("last_event_id", String(36), nullable=False),
)
cases = Table(
    "cases",
    tables,
    Column("case_number", String(64), primary_key=True),
    Column("subject_credit_code", String(18), nullable=False),
    Column("problem", String(40), nullable=False),
    Column("found_on", Date, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("outcome", String(200)),
)
STATUS = {
    CertificateSuspended: "suspended",
    CertificateReinstated: "valid",
    CertificateCancelled: "cancelled",
    CertificateRevoked: "revoked",
}


def build(database_url: str, **options: Any) -> Subscriber:
    """The warehouse's subscriber on its own database (``options``: the kit's settings)."""
    subscriber = Subscriber(NAME, database_url=database_url, **options)
    tables.create_all(subscriber.engine)
    subscriber.watch("registry", "ccc.registry.certificate.>")

    @subscriber.handles(CertificateRegistered, aggregate_type="certificate")
    def registered(event: Received[CertificateRegistered], conn: Connection) -> None:
        """A new certificate row, valid from its issue."""
        data = event.data
        conn.execute(
            insert(certificates).values(
                certificate_number=data.certificate_number,
                holder_credit_code=data.holder_credit_code,
                certification_body=data.certification_body,
                product_category=data.product_category,
                status="valid",
                status_since=data.effective_on,
                expires_on=data.expires_on,
                last_event_id=event.event.event_id,
            )
        )

    def status_change(event: Received[CertificateChange], conn: Connection) -> None:
        """The certificate's status as of the change (art 27, 28, 29)."""
        data = event.data
        conn.execute(
            update(certificates)
            .where(certificates.c.certificate_number == data.certificate_number)
            .values(
                status=STATUS[type(data)],
                status_since=data.effective_on,
                last_event_id=event.event.event_id,
            )
        )

    for model in STATUS:
        subscriber.handles(model, aggregate_type="certificate")(status_change)

    @subscriber.handles(CaseOpened)
    def opened(event: Received[CaseOpened], conn: Connection) -> None:
        """A case row (version 1 events arrive upcast: found_on is their opening day)."""
        data = event.data
        row = {
            "case_number": data.case_number,
            "subject_credit_code": data.subject_credit_code,
            "problem": data.problem,
            "found_on": data.found_on,
            "opened_on": data.opened_on,
        }
        conn.execute(insert(cases).values(**row))

    @subscriber.handles(CaseClosed)
    def closed(event: Received[CaseClosed], conn: Connection) -> None:
        """The case's closing day and outcome."""
        data = event.data
        conn.execute(
            update(cases)
            .where(cases.c.case_number == data.case_number)
            .values(closed_on=data.closed_on, outcome=data.outcome)
        )

    return subscriber


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    parser.add_argument("--user", default=NAME, help="the NATS account (password: NATS_PASSWORD)")
    parser.add_argument("--asyncapi", action="store_true", help="print its AsyncAPI (YAML), stop")
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of the warehouse")
    arguments = parser.parse_args()
    if arguments.asyncapi:
        print(asyncapi_yaml(build(arguments.database), arguments.nats))
        return
    password = os.environ.get("NATS_PASSWORD", "")
    subscriber = build(arguments.database)
    asyncio.run(subscriber.serve(arguments.nats, user=arguments.user, password=password))


if __name__ == "__main__":
    main()
