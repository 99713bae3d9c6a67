"""One certificate's commands and events, shared by the certificate status-machine tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateExpired,
    CertificateRegistered,
    CertificateRevoked,
    CertificateSuspended,
)
from enterprise_registry.domain.certificate_commands import RegisterCertificate

NUMBER = "2024010201234567"
HOLDER = "914403001922038216"
ISSUED = date(2024, 3, 1)
EXPIRES = date(2029, 2, 28)
AFTER_EXPIRY = date(2029, 3, 10)


def register(**changes: Any) -> RegisterCertificate:
    fields: dict[str, Any] = {
        "number": NUMBER,
        "holder_credit_code": HOLDER,
        "manufacturer": "某某电器有限公司",
        "factory": "某某电器有限公司一厂",
        "product_category": "0701",
        "models": ("KFR-35GW", "KFR-26GW"),
        "certification_body": "CQC",
        "issued_on": ISSUED,
    }
    return RegisterCertificate(**(fields | changes))


def common(article: str, effective_on: date, reason: str = "") -> dict[str, Any]:
    return {
        "certificate_number": NUMBER,
        "holder_credit_code": HOLDER,
        "product_category": "0701",
        "certification_body": "CQC",
        "article": article,
        "reason": reason,
        "effective_on": effective_on,
    }


REGISTERED = CertificateRegistered(
    **common("Order 117 art 24", ISSUED),
    reason_code="issued",
    manufacturer="某某电器有限公司",
    factory="某某电器有限公司一厂",
    models=["KFR-35GW", "KFR-26GW"],
    issued_on=ISSUED,
    expires_on=EXPIRES,
)
SUSPENDED = CertificateSuspended(
    **common("Order 117 art 27(3)", date(2026, 3, 1)), reason_code="follow_up_refused_or_failed"
)
REVOKED = CertificateRevoked(
    **common("Order 117 art 28(2)", date(2026, 4, 1)), reason_code="product_mismatch"
)
CANCELLED = CertificateCancelled(
    **common("Order 117 art 26(5)", date(2026, 4, 1)), reason_code="holder_requested"
)
EXPIRED = CertificateExpired(
    **common("Order 117 art 24", EXPIRES + timedelta(days=1)), reason_code="validity_ended"
)
