"""Certificate status machine, given/when/then: each legal transition, and illegal ones refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from registry_certificate_fixtures import (
    AFTER_EXPIRY,
    EXPIRED,
    EXPIRES,
    ISSUED,
    NUMBER,
    REGISTERED,
    REVOKED,
    SUSPENDED,
    common,
    register,
)
from registry_given import TODAY, certificate

from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRevoked,
    CertificateSuspended,
)
from enterprise_registry.domain.certificate_commands import (
    CANCELLATION_ITEMS,
    REVOCATION_ITEMS,
    SUSPENSION_ITEMS,
    CancelCertificate,
    CertificateCommand,
    ExpireCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    SuspendCertificate,
)

pytestmark = pytest.mark.unit
given = certificate.given

# --- registration (art 24) ---


def test_an_issued_certificate_is_registered_valid_for_five_years() -> None:
    state = given().when(register()).then(REGISTERED)
    assert state is not None
    assert (state.status, state.expires_on) == ("valid", EXPIRES)


def test_an_expiry_earlier_than_five_years_is_kept() -> None:
    events = given().when(register(expires_on=date(2027, 1, 1))).decided()
    assert isinstance(events[0], CertificateRegistered)
    assert events[0].expires_on == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issued_on": date(2026, 5, 2)}, "is issued on 2026-05-02, which is after today"),
        ({"expires_on": date(2029, 3, 1)}, "expiry 2029-03-01 is not within 5 years"),
        ({"expires_on": ISSUED}, "is not within 5 years of issue"),
        ({"expires_on": date(2026, 4, 30)}, "expired on 2026-04-30, before it was registered"),
        ({"models": ("A", "A")}, "lists a model twice"),
    ],
)
def test_a_certificate_with_impossible_dates_or_models_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    given().when(register(**changes)).then_raises(message)


def test_a_certificate_is_registered_once() -> None:
    given(REGISTERED).when(register()).then_raises(
        f"certificate {NUMBER}: is already registered (valid since 2024-03-01"
    )


@pytest.mark.parametrize(
    "command",
    [
        SuspendCertificate(number=NUMBER, reason_code="other"),
        ExpireCertificate(number=NUMBER),
        RenewCertificate(number=NUMBER),
    ],
)
def test_an_unregistered_certificate_takes_no_command(command: CertificateCommand) -> None:
    given().when(command).then_raises(f"certificate {NUMBER}: is not registered")


# --- suspension (art 27) and reinstatement ---


@pytest.mark.parametrize(("reason_code", "item"), SUSPENSION_ITEMS.items())
def test_a_valid_certificate_is_suspended_for_an_art_27_cause(reason_code: Any, item: int) -> None:
    command = SuspendCertificate(number=NUMBER, reason_code=reason_code, reason="跟踪检查不合格")
    state = (
        given(REGISTERED)
        .when(command)
        .then(
            CertificateSuspended(
                **common(f"Order 117 art 27({item})", TODAY, "跟踪检查不合格"),
                reason_code=reason_code,
            )
        )
    )
    assert state is not None
    assert state.status == "suspended"


def test_a_suspension_can_be_backdated_to_the_bodys_decision() -> None:
    command = SuspendCertificate(
        number=NUMBER, reason_code="holder_requested", effective_on=date(2026, 4, 20)
    )
    given(REGISTERED).when(command).then(
        CertificateSuspended(
            **common("Order 117 art 27(4)", date(2026, 4, 20)), reason_code="holder_requested"
        )
    )


def test_a_suspended_certificate_is_reinstated_once_the_cause_is_removed() -> None:
    command = ReinstateCertificate(number=NUMBER, reason_code="rectified")
    state = (
        given(REGISTERED, SUSPENDED)
        .when(command)
        .then(CertificateReinstated(**common("Order 117 art 27", TODAY), reason_code="rectified"))
    )
    assert state is not None
    assert (state.status, state.status_since) == ("valid", TODAY)


def test_a_suspended_certificate_cannot_be_suspended_again() -> None:
    given(REGISTERED, SUSPENDED).when(
        SuspendCertificate(number=NUMBER, reason_code="other")
    ).then_raises(
        "cannot suspend a suspended certificate (suspended 2026-03-01, Order 117 art 27(3))"
    )


def test_a_valid_certificate_cannot_be_reinstated() -> None:
    given(REGISTERED).when(ReinstateCertificate(number=NUMBER, reason_code="other")).then_raises(
        "cannot reinstate a valid certificate (valid since 2024-03-01, Order 117 art 24)"
    )


def test_a_revoked_certificate_cannot_be_reinstated() -> None:
    given(REGISTERED, SUSPENDED, REVOKED).when(
        ReinstateCertificate(number=NUMBER, reason_code="rectified")
    ).then_raises(
        f"certificate {NUMBER}: cannot reinstate a revoked certificate"
        " (revoked 2026-04-01, Order 117 art 28(2))"
    )


# --- revocation (art 28) ---


@pytest.mark.parametrize(("reason_code", "item"), REVOCATION_ITEMS.items())
def test_a_suspended_certificate_is_revoked_for_an_art_28_cause(
    reason_code: Any, item: int
) -> None:
    command = RevokeCertificate(number=NUMBER, reason_code=reason_code)
    state = (
        given(REGISTERED, SUSPENDED)
        .when(command)
        .then(
            CertificateRevoked(
                **common(f"Order 117 art 28({item})", TODAY), reason_code=reason_code
            )
        )
    )
    assert state is not None
    assert state.status == "revoked"


def test_a_valid_certificate_is_revoked_when_the_product_does_not_match() -> None:
    given(REGISTERED).when(RevokeCertificate(number=NUMBER, reason_code="product_mismatch")).then(
        CertificateRevoked(**common("Order 117 art 28(2)", TODAY), reason_code="product_mismatch")
    )


def test_art_28_3_needs_a_suspension_that_was_not_rectified() -> None:
    given(REGISTERED).when(
        RevokeCertificate(number=NUMBER, reason_code="not_rectified_while_suspended")
    ).then_raises("art 28(3) applies only to a suspended certificate")


# --- cancellation (art 26) ---


@pytest.mark.parametrize(
    ("reason_code", "item"),
    [(code, item) for code, item in CANCELLATION_ITEMS.items() if item != 2],
)
@pytest.mark.parametrize(
    "history", [[REGISTERED], [REGISTERED, SUSPENDED]], ids=["valid", "suspended"]
)
def test_a_valid_or_suspended_certificate_is_cancelled_for_an_art_26_cause(
    history: list[Any], reason_code: Any, item: int
) -> None:
    command = CancelCertificate(number=NUMBER, reason_code=reason_code)
    given(*history).when(command).then(
        CertificateCancelled(**common(f"Order 117 art 26({item})", TODAY), reason_code=reason_code)
    )


@pytest.mark.parametrize("history", [[REGISTERED], [REGISTERED, EXPIRED]], ids=["valid", "expired"])
def test_an_unrenewed_certificate_is_cancelled_after_its_expiry(history: list[Any]) -> None:
    command = CancelCertificate(number=NUMBER, reason_code="validity_ended_not_renewed")
    given(*history).when(command, today=AFTER_EXPIRY).then(
        CertificateCancelled(
            **common("Order 117 art 26(2)", AFTER_EXPIRY), reason_code="validity_ended_not_renewed"
        )
    )


def test_art_26_2_does_not_apply_before_expiry() -> None:
    given(REGISTERED).when(
        CancelCertificate(number=NUMBER, reason_code="validity_ended_not_renewed")
    ).then_raises("is valid until 2029-02-28; art 26(2) applies only after")


def test_an_expired_certificate_is_cancelled_only_under_art_26_2() -> None:
    given(REGISTERED, EXPIRED).when(
        CancelCertificate(number=NUMBER, reason_code="holder_requested"), today=AFTER_EXPIRY
    ).then_raises("an expired certificate can only be cancelled under art 26(2)")
