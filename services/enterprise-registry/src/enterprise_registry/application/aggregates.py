"""The registry's three aggregates as data: stream name, key, pure functions and read model.

One ``ccc_shared.handling.Aggregate`` record per aggregate lets the single load-decide-append
function serve every command (``ccc_shared.application.Application.execute`` finds the
aggregate from the command's class), instead of a handler per command.
"""

from __future__ import annotations

from ccc_shared.handling import Aggregate
from enterprise_registry.domain import bodies, certificates, enterprises
from enterprise_registry.domain.certificate_commands import CertificateCommand, RegisterCertificate
from enterprise_registry.domain.enterprise_commands import EnterpriseCommand, RegisterEnterprise
from enterprise_registry.projections import body_views, read_models
from enterprise_registry.projections.dossier import add_entries


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
    commands=(EnterpriseCommand,),
    key=_credit_code,
    decide=enterprises.decide,
    evolve=enterprises.evolve,
    save=read_models.save_enterprise,
    also=add_entries,
)
CERTIFICATE: Aggregate[certificates.Certificate, CertificateCommand] = Aggregate(
    name="certificate",
    noun="certificate",
    creation=RegisterCertificate,
    commands=(CertificateCommand,),
    key=_number,
    decide=certificates.decide,
    evolve=certificates.evolve,
    save=read_models.save_certificate,
    also=add_entries,
)
BODY: Aggregate[bodies.CertificationBody, bodies.BodyCommand] = Aggregate(
    name="certification_body",
    noun="certification body",
    creation=bodies.RegisterCertificationBody,
    commands=(bodies.BodyCommand,),
    key=_body_code,
    decide=bodies.decide,
    evolve=bodies.evolve,
    save=body_views.save_body,
    also=add_entries,
)

AGGREGATES = (ENTERPRISE, CERTIFICATE, BODY)
