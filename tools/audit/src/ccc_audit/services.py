"""Find a service's store and aggregates without running it: from the service's own record.

Each service declares itself once, ``<package>.main.service(settings)`` (a
``ccc_shared.service.Service``: its stored events, aggregates, migrations); the tool opens the
store through the kernel's ``open_application`` on that record, so the store decodes exactly
the events the service stores and the aggregates are the ones it decides with (enforcement's
case aggregate on the configured working-day calendar). No app is built.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate
from ccc_shared.messaging import stream_name
from ccc_shared.runtime.access import SHARED_ACCESS, AccessTable
from ccc_shared.runtime.build import open_application
from ccc_shared.service import Service

# service name -> (package, context); the context names the subjects and the stream
SERVICES: dict[str, tuple[str, str]] = {
    "enterprise-registry": ("enterprise_registry", "registry"),
    "inspection": ("inspection", "inspection"),
    "enforcement": ("enforcement", "enforcement"),
    "notification": ("notification", "notification"),
}


def records() -> list[Service]:
    """The four services' records, as each declares itself (default settings: nothing opened)."""
    found: list[Service] = []
    for package, _context in SERVICES.values():
        main = importlib.import_module(f"{package}.main")
        found.append(main.service(main.Settings()))
    return found


def access_table() -> AccessTable:
    """Every service's access rows, and the shared ones: who may do what across the bureau (the
    console shows a person only the actions these rows allow)."""
    table: dict[str, frozenset[str]] = dict(SHARED_ACCESS)
    for package, _context in SERVICES.values():
        table.update(importlib.import_module(f"{package}.access").ACCESS)
    return table


class UnknownServiceError(LookupError):
    """A service name the tool does not know."""


def service_key(name: str) -> str:
    """The service's canonical name, also accepting its context (``registry``)."""
    for service, (package, context) in SERVICES.items():
        if name in (service, package, context):
            return service
    known = ", ".join(SERVICES)
    raise UnknownServiceError(f"unknown service {name!r} (known: {known})")


@dataclass
class ServiceStore:
    """One service's event store, its aggregates and read-model migrations, opened offline."""

    name: str
    context: str
    store: SqlEventStore
    aggregates: tuple[Aggregate[Any, Any], ...]
    migrations: tuple[Any, ...]

    @property
    def stream(self) -> str:
        """The JetStream stream the service publishes to."""
        return stream_name(self.context)

    def aggregate(self, name: str) -> Aggregate[Any, Any]:
        """One of the service's aggregates by its stream name (``certificate``)."""
        for aggregate in self.aggregates:
            if aggregate.name == name:
                return aggregate
        known = ", ".join(a.name for a in self.aggregates) or "none found"
        raise LookupError(f"{self.name} has no aggregate {name!r} (known: {known})")

    def migrate(self) -> None:
        """Create or upgrade the kernel tables and the service's read models."""
        self.store.migrate()
        engine: Engine = self.store.engine
        for migration in self.migrations:
            migration(engine)

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()


def open_service(name: str, database_url: str) -> ServiceStore:
    """Open a service's store on ``database_url`` through the service's own record."""
    service = service_key(name)
    package = SERVICES[service][0]
    main = importlib.import_module(f"{package}.main")
    settings = main.Settings(database_url=database_url)
    declared: Service = main.service(settings)
    application = open_application(declared, settings)
    return ServiceStore(
        name=service,
        context=declared.context,
        store=application.store,
        aggregates=tuple(declared.aggregates),
        migrations=tuple(declared.migrations),
    )
