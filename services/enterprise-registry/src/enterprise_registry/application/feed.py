"""Import a certificate change feed: compare each row with the register, issue only what differs.

Per row, in its own transaction through ``execute``:

- unknown certificate: ``RegisterCertificate`` (reason ``imported``), then the status command
  if the row's status is not ``valid``;
- status differs: the matching command (suspend, reinstate, cancel, revoke, expire) with the
  row's reason code, effective on its status date;
- models differ (as sets): ``ChangeCertificateScope`` adding and removing the difference;
- expiry later than registered: ``RenewCertificate`` (art 24: it must be five years on, and
  today inside the 90-day window);
- identical: nothing, so importing the same file twice appends no events.

A row whose holder, manufacturer, factory, category, body or issue date differs from the
register is reported (no command changes those) and skipped. A bad row is reported with its
row number, field and reason, and the import goes on with the next.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ccc_shared.application import Application
from ccc_shared.eventstore.envelope import EventMetadata
from ccc_shared.eventstore.errors import ConcurrencyError
from enterprise_registry.application.aggregates import CERTIFICATE
from enterprise_registry.application.feed_rows import (
    FeedFormat,
    FeedRow,
    RowError,
    parse_row,
    read_records,
)
from enterprise_registry.domain.base import DomainError
from enterprise_registry.domain.certificate_commands import (
    CancelCertificate,
    CertificateCommand,
    ChangeCertificateScope,
    ExpireCertificate,
    RegisterCertificate,
    ReinstateCertificate,
    RenewCertificate,
    RevokeCertificate,
    SuspendCertificate,
    five_years_after,
)
from enterprise_registry.domain.certificates import Certificate

Progress = Callable[[int, int], None]
FIXED_FIELDS = (
    "holder_credit_code", "manufacturer", "factory", "product_category",
    "certification_body", "issued_on",
)  # fmt: skip
STATUS_COMMANDS: dict[str, type[CertificateCommand]] = {
    "valid": ReinstateCertificate,
    "suspended": SuspendCertificate,
    "cancelled": CancelCertificate,
    "revoked": RevokeCertificate,
}
# The feed field a refused command is about, for the error report.
FIELD_OF: dict[type[CertificateCommand], str] = {
    RegisterCertificate: "number",
    ChangeCertificateScope: "models",
    RenewCertificate: "expires_on",
}


@dataclass
class FeedReport:
    """What an import did: rows read and unchanged, events appended per type, bad rows."""

    rows_read: int = 0
    rows_unchanged: int = 0
    rows_changed: int = 0
    events: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def count(self, event_types: list[str]) -> None:
        """Add appended events to the per-type counts."""
        self.events = dict(Counter(self.events) + Counter(event_types))


def import_feed(
    app: Application[Any],
    data: bytes,
    feed_format: FeedFormat,
    metadata: EventMetadata,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> FeedReport:
    """Reconcile every row of a feed with the register; FeedFormatError if the file is not one."""
    records = read_records(data, feed_format)
    today = today or app.today()
    report = FeedReport()
    for index, record in enumerate(records, start=1):
        report.rows_read += 1
        try:
            appended = import_row(app, parse_row(index, record), metadata, today)
        except RowError as error:
            report.errors.append(error)
        else:
            if appended:
                report.rows_changed += 1
                report.count(appended)
            else:
                report.rows_unchanged += 1
        if progress is not None:
            progress(index, len(records))
    return report


def import_row(
    app: Application[Any], row: FeedRow, metadata: EventMetadata, today: date
) -> list[str]:
    """Issue the commands one row needs, in one transaction; the event types appended."""
    try:
        with app.store.transaction() as conn:
            state = app.state_of(CERTIFICATE.name, row.number, conn)
            appended: list[str] = []
            for command in commands_for(state, row):
                try:
                    recorded = app.execute(command, metadata, conn=conn, today=today)
                except DomainError as error:
                    field_name = FIELD_OF.get(type(command), "status")
                    raise RowError(row.row, field_name, str(error)) from None
                appended += [event.event_type for event in recorded]
            return appended
    except ConcurrencyError as error:
        raise RowError(
            row.row, "number", f"changed while importing, import again: {error}"
        ) from None


def commands_for(state: Certificate | None, row: FeedRow) -> list[CertificateCommand]:
    """The commands that bring the registered certificate to what the row states."""
    if state is None:
        registration = RegisterCertificate(
            number=row.number,
            holder_credit_code=row.holder_credit_code,
            manufacturer=row.manufacturer,
            factory=row.factory,
            product_category=row.product_category,
            models=row.models,
            certification_body=row.certification_body,
            issued_on=row.issued_on,
            expires_on=row.expires_on,
            reason_code="imported",
        )
        status = status_command(row) if row.status != "valid" else None
        return [registration] + ([status] if status else [])
    for name in FIXED_FIELDS:
        if getattr(state, name) != getattr(row, name):
            registered = getattr(state, name)
            raise RowError(
                row.row, name, f"is {registered!r} in the register; no feed row can change it"
            )
    changes = scope_and_expiry(state, row)
    if row.status == state.status:
        return changes
    status = status_command(row)
    # scope and renewal need a valid certificate: before leaving valid, after coming back
    return [status, *changes] if row.status == "valid" else [*changes, status]


def scope_and_expiry(state: Certificate, row: FeedRow) -> list[CertificateCommand]:
    """A scope change if the models differ, a renewal if the expiry is later."""
    commands: list[CertificateCommand] = []
    added = tuple(model for model in row.models if model not in state.models)
    removed = tuple(model for model in state.models if model not in row.models)
    if added or removed:
        reason_code = "models_changed" if added and removed else "models_extended"
        if not added:
            reason_code = "models_reduced"
        commands.append(
            ChangeCertificateScope(
                number=row.number,
                reason_code=reason_code,
                models_added=added,
                models_removed=removed,
                reason="certificate feed",
            )
        )
    if row.expires_on is not None and row.expires_on != state.expires_on:
        renewed_until = five_years_after(state.expires_on)
        if row.expires_on != renewed_until:
            raise RowError(
                row.row,
                "expires_on",
                f"is {state.expires_on} in the register; a renewal extends it to"
                f" {renewed_until} (art 24), not {row.expires_on}",
            )
        commands.append(RenewCertificate(number=row.number, reason="certificate feed"))
    return commands


def status_command(row: FeedRow) -> CertificateCommand:
    """The command that moves a certificate into the row's status, on its status date."""
    common = {"number": row.number, "effective_on": row.status_date, "reason": "certificate feed"}
    if row.status == "expired":
        return ExpireCertificate(number=row.number, reason="certificate feed")
    if not row.reason_code:
        raise RowError(row.row, "reason_code", f"a change to {row.status} needs a reason code")
    kind = STATUS_COMMANDS[row.status]
    return kind.model_validate({**common, "reason_code": row.reason_code})
