"""The registry's two aggregates as data: stream name, key, pure functions and read model.

One ``Aggregate`` record per aggregate lets a single load-decide-append function serve every
command (see ``handling``), instead of a handler per command that differ by a name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from enterprise_registry.domain import bodies, certificates, enterprises
from enterprise_registry.domain.base import Command
from enterprise_registry.domain.certificate_commands import CertificateCommand, RegisterCertificate
from enterprise_registry.domain.enterprise_commands import EnterpriseCommand, RegisterEnterprise
from enterprise_registry.projections import body_views, read_models

S = TypeVar("S")
C = TypeVar("C", bound=Command)


@dataclass(frozen=True)
class Aggregate(Generic[S, C]):
    """How to find, rebuild, change and project one kind of aggregate."""

    name: str
    noun: str
    creation: type[C]
    key: Callable[[C], str]
    decide: Callable[[S | None, C, date], list[Any]]
    evolve: Callable[[S | None, Any], S]
    save: Callable[[S, int, Connection], None]

    def replay(self, events: Iterable[Any]) -> S | None:
        """The state the events describe (None before the first)."""
        state: S | None = None
        for event in events:
            state = self.evolve(state, event)
        return state


def _credit_code(command: EnterpriseCommand) -> str:
    return command.credit_code


def _number(command: CertificateCommand) -> str:
    return command.number


def _body_code(command: bodies.BodyCommand) -> str:
    return command.code


ENTERPRISE: Aggregate[enterprises.Enterprise, EnterpriseCommand] = Aggregate(
    name="enterprise",
    noun="enterprise",
    creation=RegisterEnterprise,
    key=_credit_code,
    decide=enterprises.decide,
    evolve=enterprises.evolve,
    save=read_models.save_enterprise,
)
CERTIFICATE: Aggregate[certificates.Certificate, CertificateCommand] = Aggregate(
    name="certificate",
    noun="certificate",
    creation=RegisterCertificate,
    key=_number,
    decide=certificates.decide,
    evolve=certificates.evolve,
    save=read_models.save_certificate,
)
BODY: Aggregate[bodies.CertificationBody, bodies.BodyCommand] = Aggregate(
    name="certification_body",
    noun="certification body",
    creation=bodies.RegisterCertificationBody,
    key=_body_code,
    decide=bodies.decide,
    evolve=bodies.evolve,
    save=body_views.save_body,
)


def aggregate_for(command: Command) -> Aggregate[Any, Any]:
    """The aggregate a command is addressed to."""
    if isinstance(command, EnterpriseCommand):
        return ENTERPRISE
    if isinstance(command, CertificateCommand):
        return CERTIFICATE
    if isinstance(command, bodies.BodyCommand):
        return BODY
    raise TypeError(f"no aggregate takes {type(command).__name__}")
