"""Certificate status machine, given/when/then: expiry, renewal, scope, dates, final statuses."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from registry_certificate_fixtures import (
    AFTER_EXPIRY,
    CANCELLED,
    EXPIRED,
    EXPIRES,
    NUMBER,
    REGISTERED,
    REVOKED,
    SUSPENDED,
    common,
)
from registry_given import TODAY, certificate

from ccc_contracts.registry import (
    CertificateRenewed,
    CertificateScopeChanged,
)
from enterprise_registry.domain.certificate_commands import (
    CancelCertificate,
    CertificateCommand,
    ChangeCertificateScope,
    ExpireCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    SuspendCertificate,
)

pytestmark = pytest.mark.unit
given = certificate.given

# --- expiry and renewal (art 24) ---


@pytest.mark.parametrize(
    "history", [[REGISTERED], [REGISTERED, SUSPENDED]], ids=["valid", "suspended"]
)
def test_a_certificate_expires_the_day_after_its_expiry_date(history: list[Any]) -> None:
    state = given(*history).when(ExpireCertificate(number=NUMBER), today=AFTER_EXPIRY).then(EXPIRED)
    assert state is not None
    assert (state.status, state.status_since) == ("expired", date(2029, 3, 1))


def test_a_certificate_cannot_expire_on_or_before_its_expiry_date() -> None:
    given(REGISTERED).when(ExpireCertificate(number=NUMBER), today=EXPIRES).then_raises(
        "is valid until 2029-02-28; it cannot expire before"
    )


@pytest.mark.parametrize("today", [date(2028, 11, 30), EXPIRES], ids=["window opens", "last day"])
def test_a_valid_certificate_is_renewed_for_five_years_within_the_window(today: date) -> None:
    state = (
        given(REGISTERED)
        .when(RenewCertificate(number=NUMBER), today=today)
        .then(
            CertificateRenewed(
                **common("Order 117 art 24", today),
                reason_code="renewed_on_application",
                previous_expires_on=EXPIRES,
                expires_on=date(2034, 2, 28),
            )
        )
    )
    assert state is not None
    assert (state.status, state.expires_on) == ("valid", date(2034, 2, 28))


def test_renewal_before_the_window_is_refused() -> None:
    given(REGISTERED).when(RenewCertificate(number=NUMBER), today=date(2028, 11, 29)).then_raises(
        "the renewal window opens on 2028-11-30, 90 days before expiry (art 24)"
    )


def test_a_renewed_certificate_no_longer_expires_on_the_old_date() -> None:
    renewed = CertificateRenewed(
        **common("Order 117 art 24", date(2029, 1, 5)),
        reason_code="renewed_on_application",
        previous_expires_on=EXPIRES,
        expires_on=date(2034, 2, 28),
    )
    given(REGISTERED, renewed).when(
        ExpireCertificate(number=NUMBER), today=AFTER_EXPIRY
    ).then_raises("is valid until 2034-02-28")


def test_a_suspended_certificate_is_not_renewed() -> None:
    given(REGISTERED, SUSPENDED).when(RenewCertificate(number=NUMBER), today=EXPIRES).then_raises(
        "cannot renew a suspended certificate"
    )


# --- scope changes (art 25) ---


def test_models_are_added_and_removed() -> None:
    command = ChangeCertificateScope(
        number=NUMBER,
        reason_code="models_changed",
        models_added=("KFR-50GW",),
        models_removed=("KFR-26GW",),
    )
    state = (
        given(REGISTERED)
        .when(command)
        .then(
            CertificateScopeChanged(
                **common("Order 117 art 25", TODAY),
                reason_code="models_changed",
                models_added=["KFR-50GW"],
                models_removed=["KFR-26GW"],
                models=["KFR-35GW", "KFR-50GW"],
            )
        )
    )
    assert state is not None
    assert state.models == ("KFR-35GW", "KFR-50GW")


@pytest.mark.parametrize(
    ("added", "removed", "message"),
    [
        ((), (), "names no model to add or remove"),
        (("KFR-35GW",), (), "already covers one of ['KFR-35GW']"),
        ((), ("KFR-99",), "does not cover ['KFR-99']"),
        ((), ("KFR-35GW", "KFR-26GW"), "cannot remove every model; cancel it instead (art 26(3))"),
    ],
)
def test_a_scope_change_that_makes_no_sense_is_refused(
    added: tuple[str, ...], removed: tuple[str, ...], message: str
) -> None:
    command = ChangeCertificateScope(
        number=NUMBER, reason_code="models_changed", models_added=added, models_removed=removed
    )
    given(REGISTERED).when(command).then_raises(message)


# --- dates and final statuses ---


def test_a_change_cannot_take_effect_in_the_future() -> None:
    command = SuspendCertificate(number=NUMBER, reason_code="other", effective_on=date(2026, 5, 2))
    given(REGISTERED).when(command).then_raises("cannot take effect on 2026-05-02, after today")


def test_a_change_cannot_take_effect_before_the_last_one() -> None:
    command = ReinstateCertificate(
        number=NUMBER, reason_code="rectified", effective_on=date(2026, 2, 1)
    )
    given(REGISTERED, SUSPENDED).when(command).then_raises(
        "cannot take effect on 2026-02-01, before its last change on 2026-03-01"
    )


def test_a_certificate_past_its_expiry_must_be_expired_first() -> None:
    given(REGISTERED).when(
        SuspendCertificate(number=NUMBER, reason_code="other"), today=AFTER_EXPIRY
    ).then_raises("its validity ended on 2029-02-28; expire it instead")


EVERY_COMMAND = [
    SuspendCertificate(number=NUMBER, reason_code="other"),
    ReinstateCertificate(number=NUMBER, reason_code="rectified"),
    RevokeCertificate(number=NUMBER, reason_code="other"),
    CancelCertificate(number=NUMBER, reason_code="holder_requested"),
    ExpireCertificate(number=NUMBER),
    RenewCertificate(number=NUMBER),
    ChangeCertificateScope(number=NUMBER, reason_code="models_extended", models_added=("X",)),
]


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=lambda c: type(c).__name__)
@pytest.mark.parametrize(
    ("final", "status"),
    [(REVOKED, "revoked"), (CANCELLED, "cancelled")],
    ids=["revoked", "cancelled"],
)
def test_revoked_and_cancelled_are_final(
    command: CertificateCommand, final: Any, status: str
) -> None:
    given(REGISTERED, final).when(command, today=AFTER_EXPIRY).then_raises(
        f"a {status} certificate ({status} 2026-04-01"
    )


@pytest.mark.parametrize(
    "command",
    [c for c in EVERY_COMMAND if not isinstance(c, CancelCertificate)],
    ids=lambda c: type(c).__name__,
)
def test_an_expired_certificate_only_takes_cancellation(command: CertificateCommand) -> None:
    given(REGISTERED, EXPIRED).when(command, today=AFTER_EXPIRY).then_raises(
        "an expired certificate ("
    )
