"""Certificate status machine, given/when/then: each legal transition, and illegal ones refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from registry_given import TODAY, certificate

from ccc_shared.contracts.registry import (
    CertificateCancelled,
    CertificateExpired,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
)
from enterprise_registry.domain.certificate_commands import (
    CANCELLATION_ITEMS,
    REVOCATION_ITEMS,
    SUSPENSION_ITEMS,
    CancelCertificate,
    CertificateCommand,
    ChangeCertificateScope,
    ExpireCertificate,
    RegisterCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    SuspendCertificate,
)

pytestmark = pytest.mark.unit
given = certificate.given

NUMBER = "2024010201234567"
HOLDER = "914403001922038216"
ISSUED = date(2024, 3, 1)
EXPIRES = date(2029, 2, 28)
AFTER_EXPIRY = date(2029, 3, 10)


def register(**changes: Any) -> RegisterCertificate:
    fields: dict[str, Any] = {
        "number": NUMBER,
        "holder_credit_code": HOLDER,
        "manufacturer": "某某電器有限公司",
        "factory": "某某電器有限公司一廠",
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
    manufacturer="某某電器有限公司",
    factory="某某電器有限公司一廠",
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
    command = SuspendCertificate(number=NUMBER, reason_code=reason_code, reason="跟蹤檢查不合格")
    state = (
        given(REGISTERED)
        .when(command)
        .then(
            CertificateSuspended(
                **common(f"Order 117 art 27({item})", TODAY, "跟蹤檢查不合格"),
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
