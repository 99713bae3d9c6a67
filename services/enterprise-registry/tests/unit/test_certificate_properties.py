"""Random command sequences: a command is refused exactly when the machine or a rule of dates
or scope (written out again below) forbids it, every accepted change is a transition the machine
allows, and replaying the events rebuilds the live state."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st

from ccc_contracts.registry import CertificateRegistered
from enterprise_registry.domain import certificates
from enterprise_registry.domain.base import DomainError
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

NUMBER = "2021010201234567"
START = date(2021, 6, 1)

# The machine, written out again independently of the code: command -> {from: to}.
TRANSITIONS: dict[type[CertificateCommand], dict[str, str]] = {
    SuspendCertificate: {"valid": "suspended"},
    ReinstateCertificate: {"suspended": "valid"},
    RevokeCertificate: {"valid": "revoked", "suspended": "revoked"},
    CancelCertificate: {"valid": "cancelled", "suspended": "cancelled", "expired": "cancelled"},
    ExpireCertificate: {"valid": "expired", "suspended": "expired"},
    RenewCertificate: {"valid": "valid"},
    ChangeCertificateScope: {"valid": "valid"},
}

models = st.lists(st.sampled_from(["M1", "M2", "M3", "M4"]), max_size=2, unique=True).map(tuple)
backdate = st.one_of(st.none(), st.integers(min_value=0, max_value=60))


def change(kind: type[Any], reasons: Any) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(st.just(kind), st.sampled_from(sorted(reasons)), backdate)


final_commands = st.one_of(
    change(RevokeCertificate, REVOCATION_ITEMS), change(CancelCertificate, CANCELLATION_ITEMS)
)
other_commands = st.one_of(
    change(SuspendCertificate, SUSPENSION_ITEMS),
    change(ReinstateCertificate, ["rectified", "holder_request_withdrawn", "other"]),
    st.tuples(st.just(ExpireCertificate)),
    st.tuples(st.just(RenewCertificate), backdate),
    st.tuples(st.just(ChangeCertificateScope), models, models),
)
# A pause is some days, or a jump to a day near the expiry date (negative: days before it);
# final commands come now and then, so that a sequence lives long enough to reach expiry.
pauses = st.one_of(
    st.integers(min_value=0, max_value=60),
    st.tuples(st.just("to expiry"), st.integers(min_value=-100, max_value=10)),
)
commands = st.one_of(other_commands, other_commands, other_commands, final_commands)
steps = st.lists(st.tuples(pauses, commands), max_size=25)


def build(spec: tuple[Any, ...], today: date) -> CertificateCommand:
    kind = spec[0]
    days = spec[-1] if kind not in (ExpireCertificate, ChangeCertificateScope) else None
    effective_on = None if days is None else today - timedelta(days=days)
    if kind is ExpireCertificate:
        return ExpireCertificate(number=NUMBER)
    if kind is RenewCertificate:
        return RenewCertificate(number=NUMBER, effective_on=effective_on)
    if kind is ChangeCertificateScope:
        return ChangeCertificateScope(
            number=NUMBER,
            reason_code="models_changed",
            models_added=spec[1],
            models_removed=spec[2],
        )
    return kind(number=NUMBER, reason_code=spec[1], effective_on=effective_on)  # type: ignore[no-any-return]


def after(pause: int | tuple[str, int], today: date, expires_on: date) -> date:
    """The day after a pause: some days later, or a day near the expiry date (never earlier)."""
    if isinstance(pause, int):
        return today + timedelta(days=pause)
    return max(today, expires_on + timedelta(days=pause[1]))


def refusal_expected(
    state: certificates.Certificate, command: CertificateCommand, today: date
) -> bool:
    """Whether Order 117, written out again, refuses the command on this certificate today."""
    if state.status not in TRANSITIONS[type(command)]:
        return True
    if isinstance(command, ExpireCertificate):
        return today <= state.expires_on  # art 24: only once its validity has ended
    effective = getattr(command, "effective_on", None) or today
    after_expiry = getattr(command, "reason_code", None) == "validity_ended_not_renewed"
    dates_wrong = (
        effective > today  # no change takes effect in the future
        or effective < state.last_changed_on  # nor before the last one
        or (after_expiry and effective <= state.expires_on)  # art 26(2): after expiry only
        or (state.status == "expired" and not after_expiry)  # expired: art 26(2) only
        or (not after_expiry and effective > state.expires_on)  # past validity: expire it
        or (  # art 28(3): not rectified while suspended
            getattr(command, "reason_code", None) == "not_rectified_while_suspended"
            and state.status != "suspended"
        )
        or (  # art 24: renewal is applied for in the 90 days before expiry
            isinstance(command, RenewCertificate)
            and effective < state.expires_on - timedelta(days=90)
        )
    )
    if isinstance(command, ChangeCertificateScope):  # art 25, and art 26(3) for every model
        added, removed = command.models_added, set(command.models_removed)
        covered = set(state.models)
        return dates_wrong or (
            (not added and not removed)
            or len(set(added)) != len(added)
            or bool(covered & set(added))
            or not removed <= covered
            or covered <= removed
        )
    return dates_wrong


def check_invariants(state: certificates.Certificate, today: date) -> None:
    assert state.issued_on < state.expires_on
    assert state.status_since <= state.last_changed_on <= today
    assert state.models
    assert len(set(state.models)) == len(state.models)
    if state.status in ("valid", "suspended"):
        assert state.last_changed_on <= state.expires_on
    if state.status == "expired":
        assert state.status_since == state.expires_on + timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_random_commands_keep_the_certificate_in_a_legal_state(
    sequence: list[tuple[Any, tuple[Any, ...]]],
) -> None:
    register = RegisterCertificate(
        number=NUMBER,
        holder_credit_code="91350100M000100Y43",
        manufacturer="m",
        factory="f",
        product_category="0701",
        models=("M1", "M2"),
        certification_body="CQC",
        issued_on=START,
    )
    history: list[Any] = certificates.decide(None, register, START)
    assert isinstance(history[0], CertificateRegistered)
    state = certificates.evolve(None, history[0])
    today = START
    for pause, spec in sequence:
        today = after(pause, today, state.expires_on)
        command = build(spec, today)
        before = state
        try:
            events = certificates.decide(state, command, today)
        except DomainError:
            assert refusal_expected(state, command, today), (state, command, today)
            continue
        assert not refusal_expected(state, command, today), (state, command, today)
        assert before.status in TRANSITIONS[type(command)], (before.status, command)
        for event in events:
            state = certificates.evolve(state, event)
        assert state.status == TRANSITIONS[type(command)][before.status]
        note_event(f"{before.status} -> {state.status} by {type(command).__name__}")
        check_invariants(state, today)
        history += events
        assert certificates.replay(history) == state


@settings(max_examples=100, deadline=None)
@given(steps)
def test_revoked_and_cancelled_certificates_accept_nothing_more(
    sequence: list[tuple[Any, tuple[Any, ...]]],
) -> None:
    registered = certificates.decide(
        None,
        RegisterCertificate(
            number=NUMBER,
            holder_credit_code="91350100M000100Y43",
            manufacturer="m",
            factory="f",
            product_category="0701",
            models=("M1",),
            certification_body="CQC",
            issued_on=START,
        ),
        START,
    )
    revoked = certificates.decide(
        certificates.replay(registered),
        RevokeCertificate(number=NUMBER, reason_code="product_mismatch"),
        START,
    )
    state = certificates.replay(registered + revoked)
    today = START
    for pause, spec in sequence:
        today = after(pause, today, state.expires_on)
        with pytest.raises(DomainError, match="revoked certificate"):
            certificates.decide(state, build(spec, today), today)
