"""Who may call each of the enterprise-registry service's routes: its rows of the access rules.

An operation is ``"registry:<route function name>"``; the roles are the sets of
``ccc_shared.runtime.access`` (auditors are added to every query there). A route missing here
is refused to everyone; the record (``main.service``) hands these rows to the kernel.
"""

from __future__ import annotations

from ccc_shared.runtime.access import (
    CERTIFICATE_CHANGES,
    HEADS,
    INSPECTORS,
    MACHINES,
    READERS,
    SURVEYORS,
    AccessTable,
)

ACCESS: AccessTable = {
    # enterprise-registry: enterprises, certificates, certification bodies, quality inputs
    "registry:register_enterprise": SURVEYORS,
    "registry:update_profile": SURVEYORS,
    "registry:assign_custodian": HEADS,
    "registry:list_enterprises": READERS,
    "registry:get_enterprise": READERS,
    "registry:get_dossier": READERS,
    "registry:get_coverage": READERS,
    "registry:dossier_history_by_region": READERS,
    "registry:register_certificate": SURVEYORS | MACHINES,
    "registry:suspend": CERTIFICATE_CHANGES,
    "registry:reinstate": CERTIFICATE_CHANGES,
    "registry:cancel": CERTIFICATE_CHANGES,
    "registry:revoke": CERTIFICATE_CHANGES,
    "registry:renew": CERTIFICATE_CHANGES,
    "registry:change_scope": CERTIFICATE_CHANGES,
    "registry:get_certificate": READERS,
    "registry:unmatched_certificates": READERS,
    "registry:import_certificate_feed": MACHINES,
    "registry:register_body": HEADS,
    "registry:record_finding": HEADS | {"inspector", "case_officer"},
    "registry:rate_body": HEADS,
    "registry:list_bodies": READERS,
    "registry:get_body": READERS,
    "registry:record_spot_check": INSPECTORS | MACHINES,
    "registry:record_credit_rating": HEADS | MACHINES,
    "registry:record_quality_status": HEADS | MACHINES,
    "registry:expiry_sweep": MACHINES,
}
