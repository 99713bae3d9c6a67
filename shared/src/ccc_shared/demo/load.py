"""Load the demo jurisdiction into the running registry through its HTTP API (idempotent)."""

from __future__ import annotations

from ccc_shared.demo.client import ServiceClient
from ccc_shared.demo.jurisdiction import Jurisdiction


def load_jurisdiction(registry: ServiceClient, jurisdiction: Jurisdiction) -> int:
    """Register the bodies, enterprises and certificates not yet registered; count the new."""
    created = 0
    for body in jurisdiction.bodies:
        created += registry.post_once("/certification-bodies", body, role="admin") is not None
    for enterprise in jurisdiction.enterprises:
        created += registry.post_once("/enterprises", enterprise.registration) is not None
        for certificate in enterprise.certificates:
            created += registry.post_once("/certificates", certificate) is not None
    return created
