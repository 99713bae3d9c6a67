"""Find a service's store and aggregates without running it: its own wiring, asked politely.

The tool builds the service's app with ``create_app(Settings(database_url=...))`` (nothing
starts until a lifespan runs) and takes the kernel's store and migrations from it, so the
store decodes exactly the events the service stores. Aggregates are the ``Aggregate`` records
of the service's ``application`` modules (``aggregates.py`` and ``handling.py`` first): a
module-level ``AGGREGATES`` list (or mapping) when a module has one, else every ``Aggregate``
it holds; plus those the app builds from its settings and keeps on ``app.state`` (enforcement's
case aggregate, built on the configured working-day calendar).
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import Engine

from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.handling import Aggregate
from ccc_shared.messaging import stream_name
from ccc_shared.runtime.kernel import ServiceKernel

# service name -> (package, context); the context names the subjects and the stream
SERVICES: dict[str, tuple[str, str]] = {
    "enterprise-registry": ("enterprise_registry", "registry"),
    "inspection": ("inspection", "inspection"),
    "enforcement": ("enforcement", "enforcement"),
    "notification": ("notification", "notification"),
}
FIRST_MODULES = ("aggregates", "handling")


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
    """Open a service's store on ``database_url`` through the service's own wiring."""
    service = service_key(name)
    package = SERVICES[service][0]
    main = importlib.import_module(f"{package}.main")
    # the app is built, never served: a throwaway key satisfies access control's start-up check
    settings = main.Settings(database_url=database_url, auth_jwt_key=secrets.token_urlsafe(48))
    app = main.create_app(settings)
    kernel: ServiceKernel = app.state.kernel
    aggregates = {a.name: a for a in [*aggregates_of(package), *_built(app)]}
    return ServiceStore(
        name=service,
        context=kernel.context,
        store=kernel.store,
        aggregates=tuple(aggregates.values()),
        migrations=kernel.migrations,
    )


def aggregates_of(package: str) -> list[Aggregate[Any, Any]]:
    """Every aggregate a service declares, once each, ``aggregates``/``handling`` first."""
    application = importlib.import_module(f"{package}.application")
    first = {name: index for index, name in enumerate(FIRST_MODULES)}
    names = sorted(
        (module.name for module in pkgutil.iter_modules(application.__path__)),
        key=lambda name: (first.get(name, len(first)), name),
    )
    found: dict[str, Aggregate[Any, Any]] = {}
    for name in names:
        module = importlib.import_module(f"{package}.application.{name}")
        for aggregate in _declared(module):
            found.setdefault(aggregate.name, aggregate)
    return list(found.values())


def _declared(module: ModuleType) -> Sequence[Aggregate[Any, Any]]:
    listed = getattr(module, "AGGREGATES", None)
    if isinstance(listed, Mapping):
        listed = list(listed.values())
    if listed is not None:
        return [a for a in listed if isinstance(a, Aggregate)]
    return [value for value in vars(module).values() if isinstance(value, Aggregate)]


def _built(app: Any) -> list[Aggregate[Any, Any]]:
    """Aggregates the app built from its settings (``app.state.<x>`` or one attribute down)."""
    found: list[Aggregate[Any, Any]] = []
    for value in getattr(app.state, "_state", {}).values():
        if isinstance(value, Aggregate):
            found.append(value)
            continue
        with contextlib.suppress(TypeError):
            found += [v for v in vars(value).values() if isinstance(v, Aggregate)]
    return found
