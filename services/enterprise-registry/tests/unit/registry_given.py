"""Given/when/then for the registry's aggregates (``ccc_shared.testing.given``), on their day."""

from __future__ import annotations

from datetime import date

from ccc_shared.testing.given import Behaviour
from enterprise_registry.domain import certificates, enterprises

Aggregate = Behaviour  # the name the registry's tests know it by

TODAY = date(2026, 5, 1)
certificate = Behaviour(certificates.decide, certificates.evolve, TODAY)
enterprise = Behaviour(enterprises.decide, enterprises.evolve, TODAY)
