"""The CCC certificate as the bureau sees it: its scope, its validity and its status history.

Status rules come from the CCC regulation (AQSIQ Order 117 of 2009 as amended by SAMR Order 61
of 2022); each event cites the article it applies:

| from | to | command | article |
| --- | --- | --- | --- |
| (none) | valid | RegisterCertificate | art 24: valid 5 years from issue |
| valid | suspended | SuspendCertificate | art 27 (1)-(5) |
| suspended | valid | ReinstateCertificate | art 27: the cause of suspension removed |
| valid, suspended | revoked | RevokeCertificate | art 28 (1)-(5); 28(3) only if suspended |
| valid, suspended | cancelled | CancelCertificate | art 26 (1)-(6) |
| expired | cancelled | CancelCertificate, reason 26(2) only | art 26(2) |
| valid, suspended | expired | ExpireCertificate, after the expiry date | art 24 |
| valid | valid | RenewCertificate, in the 90 days before expiry | art 24 |
| valid | valid | ChangeCertificateScope | art 25 |

Revoked and cancelled are final. ``expires_on`` is the last day a certificate is valid; a change
takes effect on a day no later than today, no earlier than the last change, and (except expiry
and cancellation under art 26(2)) no later than the expiry date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal, TypedDict

from ccc_contracts.registry import (
    CertificateCancelled,
    CertificateExpired,
    CertificateRegistered,
    CertificateReinstated,
    CertificateRenewed,
    CertificateRevoked,
    CertificateScopeChanged,
    CertificateSuspended,
)
from enterprise_registry.domain.base import DomainError, State
from enterprise_registry.domain.certificate_commands import (
    CancelCertificate,
    CertificateCommand,
    CertificateEvent,
    ChangeCertificateScope,
    ExpireCertificate,
    RegisterCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    StatusChange,
    SuspendCertificate,
    article_for,
    five_years_after,
    registered,
)

CertificateStatus = Literal["valid", "suspended", "cancelled", "revoked", "expired"]

RENEWAL_WINDOW = timedelta(days=90)  # art 24: renewal is applied for in the 90 days before expiry

# The statuses each command may start from; from any other it is an illegal transition.
ALLOWED_FROM: dict[type[CertificateCommand], tuple[frozenset[CertificateStatus], str]] = {
    SuspendCertificate: (frozenset({"valid"}), "suspend"),
    ReinstateCertificate: (frozenset({"suspended"}), "reinstate"),
    RevokeCertificate: (frozenset({"valid", "suspended"}), "revoke"),
    CancelCertificate: (frozenset({"valid", "suspended", "expired"}), "cancel"),
    ExpireCertificate: (frozenset({"valid", "suspended"}), "expire"),
    RenewCertificate: (frozenset({"valid"}), "renew"),
    ChangeCertificateScope: (frozenset({"valid"}), "change the scope of"),
}


class Certificate(State):
    """One CCC certificate: what it covers, until when, and where its status stands."""

    number: str
    holder_credit_code: str
    manufacturer: str
    factory: str
    product_category: str
    models: tuple[str, ...]
    certification_body: str
    issued_on: date
    expires_on: date
    status: CertificateStatus
    status_since: date
    status_article: str
    last_changed_on: date

    def describe_status(self) -> str:
        """The status with its date and article, as the bureau's messages quote it."""
        since = "valid since" if self.status == "valid" else self.status
        return f"{since} {self.status_since}, {self.status_article}"


class Common(TypedDict):
    """The fields every certificate event repeats."""

    certificate_number: str
    holder_credit_code: str
    product_category: str
    certification_body: str
    article: str
    reason: str
    effective_on: date


def decide(
    state: Certificate | None, command: CertificateCommand, today: date
) -> list[CertificateEvent]:
    """The events a command produces on this certificate today, or a DomainError saying why not."""
    if isinstance(command, RegisterCertificate):
        if state is not None:
            raise refusal(
                state,
                f"is already registered ({state.describe_status()})",
                code="certificate.already_registered",
                fields=["number"],
            )
        return [registered(command, today)]
    if state is None:
        raise DomainError(
            f"certificate {command.number}: is not registered",
            code="certificate.not_registered",
            fields=["number"],
        )
    allowed, verb = ALLOWED_FROM[type(command)]
    if state.status not in allowed:
        raise refusal(
            state,
            f"cannot {verb} {a_or_an(state.status)} certificate ({state.describe_status()})",
            code="certificate.status_not_allowed",
        )
    effective_on = effective_date(state, command, today)
    common = Common(
        certificate_number=state.number,
        holder_credit_code=state.holder_credit_code,
        product_category=state.product_category,
        certification_body=state.certification_body,
        article=article_for(command),
        reason=command.reason,
        effective_on=effective_on,
    )
    match command:
        case SuspendCertificate():
            return [CertificateSuspended(reason_code=command.reason_code, **common)]
        case ReinstateCertificate():
            return [CertificateReinstated(reason_code=command.reason_code, **common)]
        case RevokeCertificate():
            return [CertificateRevoked(reason_code=command.reason_code, **common)]
        case CancelCertificate():
            return [CertificateCancelled(reason_code=command.reason_code, **common)]
        case ExpireCertificate():
            return [CertificateExpired(reason_code="validity_ended", **common)]
        case RenewCertificate():
            renewed_until = five_years_after(state.expires_on)
            return [
                CertificateRenewed(
                    reason_code="renewed_on_application",
                    previous_expires_on=state.expires_on,
                    expires_on=renewed_until,
                    **common,
                )
            ]
        case ChangeCertificateScope():
            return [change_scope(state, command, common)]
    raise AssertionError(f"no rule for {type(command).__name__}")


def a_or_an(word: str) -> str:
    """The word with its indefinite article."""
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def refusal(
    state: Certificate, message: str, *, code: str, fields: Sequence[str] = ()
) -> DomainError:
    """A domain error naming the certificate it is about; ``code`` names the rule."""
    return DomainError(f"certificate {state.number}: {message}", code=code, fields=fields)


def effective_date(state: Certificate, command: CertificateCommand, today: date) -> date:
    """The day a change takes effect, refused if the certificate's dates do not allow it."""
    if isinstance(command, ExpireCertificate):
        if today <= state.expires_on:
            raise refusal(
                state,
                f"is valid until {state.expires_on}; it cannot expire before",
                code="certificate.not_yet_expired",
            )
        return state.expires_on + timedelta(days=1)
    effective_on = command.effective_on if isinstance(command, StatusChange) else None
    effective_on = effective_on or today
    after_expiry = (
        isinstance(command, CancelCertificate)
        and command.reason_code == "validity_ended_not_renewed"
    )
    if effective_on > today:
        raise refusal(
            state,
            f"a change cannot take effect on {effective_on}, after today",
            code="certificate.change_in_future",
            fields=["effective_on"],
        )
    if effective_on < state.last_changed_on:
        raise refusal(
            state,
            f"a change cannot take effect on {effective_on}, before its last change"
            f" on {state.last_changed_on}",
            code="certificate.change_before_last_change",
            fields=["effective_on"],
        )
    if after_expiry and effective_on <= state.expires_on:
        raise refusal(
            state,
            f"is valid until {state.expires_on}; art 26(2) applies only after",
            code="certificate.not_yet_expired",
        )
    if state.status == "expired" and not after_expiry:
        raise refusal(
            state,
            "an expired certificate can only be cancelled under art 26(2)",
            code="certificate.expired_cancel_only_after_expiry",
        )
    if not after_expiry and effective_on > state.expires_on:
        raise refusal(
            state,
            f"its validity ended on {state.expires_on}; expire it instead",
            code="certificate.validity_ended",
            fields=["effective_on"],
        )
    if isinstance(command, RevokeCertificate) and (
        command.reason_code == "not_rectified_while_suspended" and state.status != "suspended"
    ):
        raise refusal(
            state,
            "art 28(3) applies only to a suspended certificate",
            code="certificate.revocation_needs_suspension",
            fields=["reason_code"],
        )
    if isinstance(command, RenewCertificate) and effective_on < state.expires_on - RENEWAL_WINDOW:
        opens = state.expires_on - RENEWAL_WINDOW
        raise refusal(
            state,
            f"the renewal window opens on {opens}, 90 days before expiry (art 24)",
            code="certificate.renewal_window_not_open",
            fields=["effective_on"],
        )
    return effective_on


def change_scope(
    state: Certificate, command: ChangeCertificateScope, common: Common
) -> CertificateScopeChanged:
    """Add and remove models (art 25), refusing a change that makes no sense for this scope."""
    added, removed = command.models_added, command.models_removed
    covered = set(state.models)
    if not added and not removed:
        raise refusal(
            state,
            "a scope change names no model to add or remove",
            code="certificate.scope_change_empty",
            fields=["models_added", "models_removed"],
        )
    if len(set(added)) != len(added) or covered & set(added):
        raise refusal(
            state,
            f"already covers one of {sorted(added)} (or lists it twice)",
            code="certificate.scope_model_already_covered",
            fields=["models_added"],
        )
    if not set(removed) <= covered:
        raise refusal(
            state,
            f"does not cover {sorted(set(removed) - covered)}",
            code="certificate.scope_model_not_covered",
            fields=["models_removed"],
        )
    if covered <= set(removed):
        raise refusal(
            state,
            "cannot remove every model; cancel it instead (art 26(3))",
            code="certificate.scope_would_be_empty",
            fields=["models_removed"],
        )
    models = [model for model in state.models if model not in removed] + list(added)
    return CertificateScopeChanged(
        reason_code=command.reason_code,
        models_added=list(added),
        models_removed=list(removed),
        models=models,
        **common,
    )


def evolve(state: Certificate | None, event: CertificateEvent) -> Certificate:
    """The certificate after one of its events."""
    if isinstance(event, CertificateRegistered):
        return Certificate(
            number=event.certificate_number,
            holder_credit_code=event.holder_credit_code,
            manufacturer=event.manufacturer,
            factory=event.factory,
            product_category=event.product_category,
            models=tuple(event.models),
            certification_body=event.certification_body,
            issued_on=event.issued_on,
            expires_on=event.expires_on,
            status="valid",
            status_since=event.effective_on,
            status_article=event.article,
            last_changed_on=event.effective_on,
        )
    if state is None:
        raise DomainError(
            f"certificate {event.certificate_number}: event before registration",
            code="event.out_of_order",
        )
    match event:
        case CertificateSuspended():
            return moved(state, event, "suspended")
        case CertificateReinstated():
            return moved(state, event, "valid")
        case CertificateCancelled():
            return moved(state, event, "cancelled")
        case CertificateRevoked():
            return moved(state, event, "revoked")
        case CertificateExpired():
            return moved(state, event, "expired")
        case CertificateRenewed():
            return state.model_copy(
                update={"expires_on": event.expires_on, "last_changed_on": event.effective_on}
            )
        case CertificateScopeChanged():
            return state.model_copy(
                update={"models": tuple(event.models), "last_changed_on": event.effective_on}
            )
    raise AssertionError(f"no rule for {type(event).__name__}")


def moved(state: Certificate, event: CertificateEvent, status: CertificateStatus) -> Certificate:
    """The certificate in a new status from the event's effective date."""
    return state.model_copy(
        update={
            "status": status,
            "status_since": event.effective_on,
            "status_article": event.article,
            "last_changed_on": event.effective_on,
        }
    )


def replay(events: Iterable[CertificateEvent]) -> Certificate | None:
    """The certificate its events describe (None before registration)."""
    state: Certificate | None = None
    for event in events:
        state = evolve(state, event)
    return state
