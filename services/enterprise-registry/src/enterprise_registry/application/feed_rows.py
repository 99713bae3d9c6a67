"""Rows of a certificate change feed (CSV or JSON, as the CNCA and certification bodies publish).

Columns (CSV header names, or JSON object keys), one certificate per row:

| column | meaning | form |
| --- | --- | --- |
| ``number`` | certificate number | required |
| ``holder_credit_code`` | holder's unified social credit code | 18 characters, GB 32100-2015 |
| ``manufacturer`` | manufacturer | required |
| ``factory`` | factory | required |
| ``product_category`` | CCC catalogue code | required |
| ``models`` | models covered | separated by ``;`` or ``；`` (JSON: a list or such a string) |
| ``certification_body`` | the body that issued it | required |
| ``issued_on`` | issue date | ``YYYY-MM-DD`` |
| ``expires_on`` | expiry date (last valid day) | ``YYYY-MM-DD``; empty: 5 years (art 24) |
| ``status`` | ``valid``, ``suspended``, ``cancelled``, ``revoked`` or ``expired`` | required |
| ``status_date`` | the day the status took effect | ``YYYY-MM-DD``; empty: today |
| ``reason_code`` | reason of the status (see ``REASONS``) | needed unless ``valid``/``expired`` |

CSV is UTF-8 (a BOM is allowed) with a header row; JSON is a list of objects. ``row`` numbers
count data rows from 1 (the CSV header is not a row).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast, get_args

from ccc_contracts.credit_code import CreditCodeError, validate_credit_code
from ccc_contracts.registry import (
    CancellationReason,
    ReinstatementReason,
    RevocationReason,
    SuspensionReason,
)
from enterprise_registry.domain.certificates import CertificateStatus

FeedFormat = Literal["csv", "json"]
COLUMNS = (
    "number", "holder_credit_code", "manufacturer", "factory", "product_category", "models",
    "certification_body", "issued_on", "expires_on", "status", "status_date", "reason_code",
)  # fmt: skip
OPTIONAL = frozenset({"expires_on", "status_date", "reason_code"})
STATUSES: tuple[CertificateStatus, ...] = get_args(CertificateStatus)
# The reason codes a row of each status may carry (a valid row's reason is a reinstatement's).
REASONS: dict[str, frozenset[str]] = {
    "valid": frozenset(get_args(ReinstatementReason)),
    "suspended": frozenset(get_args(SuspensionReason)),
    "cancelled": frozenset(get_args(CancellationReason)),
    "revoked": frozenset(get_args(RevocationReason)),
    "expired": frozenset({"validity_ended"}),
}
MODEL_SEPARATORS = re.compile(r"[;；]")


class FeedFormatError(ValueError):
    """A file that cannot be read as a feed at all (not per row): bad JSON, missing columns."""


class RowError(Exception):
    """One bad row: where, which field, and why."""

    def __init__(self, row: int, field: str, reason: str) -> None:
        """Row number (data rows from 1), the field, and why it is refused."""
        super().__init__(f"row {row}, {field}: {reason}")
        self.row, self.field, self.reason = row, field, reason


@dataclass(frozen=True)
class FeedRow:
    """One certificate as the feed states it, checked field by field."""

    row: int
    number: str
    holder_credit_code: str
    manufacturer: str
    factory: str
    product_category: str
    models: tuple[str, ...]
    certification_body: str
    issued_on: date
    expires_on: date | None
    status: CertificateStatus
    status_date: date | None
    reason_code: str


def read_records(data: bytes, feed_format: FeedFormat) -> list[dict[str, Any]]:
    """The file's records as dicts keyed by column, in file order."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedFormatError(f"the file is not UTF-8: {error}") from error
    if feed_format == "json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise FeedFormatError(f"the file is not JSON: {error}") from error
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise FeedFormatError("a JSON feed is a list of objects")
        return records
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or ()]
    missing = [column for column in COLUMNS if column not in header and column not in OPTIONAL]
    if missing:
        raise FeedFormatError(f"the CSV header lacks the columns {missing}")
    reader.fieldnames = header
    return list(reader)


def parse_row(row: int, record: dict[str, Any]) -> FeedRow:
    """Check one record's fields; the first bad one is raised as a RowError."""

    def text(field: str) -> str:
        value = record.get(field)
        value = "" if value is None else str(value).strip()
        if not value and field not in OPTIONAL:
            raise RowError(row, field, "is required")
        return value

    def day(field: str) -> date | None:
        value = text(field)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise RowError(row, field, f"{value!r} is not a date (YYYY-MM-DD)") from None

    number = text("number")
    holder = text("holder_credit_code")
    try:
        validate_credit_code(holder)
    except CreditCodeError as error:
        raise RowError(row, "holder_credit_code", str(error)) from None
    status = cast(CertificateStatus, text("status").lower())
    if status not in STATUSES:
        raise RowError(row, "status", f"{status!r} is not one of {list(STATUSES)}")
    reason_code = text("reason_code")
    if reason_code and reason_code not in REASONS[status]:
        allowed = sorted(REASONS[status])
        raise RowError(row, "reason_code", f"{reason_code!r} is not a {status} reason: {allowed}")
    if not reason_code and status in ("suspended", "cancelled", "revoked"):
        raise RowError(row, "reason_code", f"a {status} certificate needs a reason code")
    issued_on = day("issued_on")
    assert issued_on is not None  # required, so text() raised if empty
    return FeedRow(
        row=row,
        number=number,
        holder_credit_code=holder,
        manufacturer=text("manufacturer"),
        factory=text("factory"),
        product_category=text("product_category"),
        models=parse_models(row, record.get("models")),
        certification_body=text("certification_body"),
        issued_on=issued_on,
        expires_on=day("expires_on"),
        status=status,
        status_date=day("status_date"),
        reason_code=reason_code,
    )


def parse_models(row: int, value: Any) -> tuple[str, ...]:
    """The models of a row: a list, or a string separated by ``;`` or ``；``; none twice."""
    if isinstance(value, list):
        parts = [str(part) for part in value]
    else:
        parts = MODEL_SEPARATORS.split("" if value is None else str(value))
    models = tuple(part.strip() for part in parts if part.strip())
    if not models:
        raise RowError(row, "models", "is required (separate models with ';')")
    if len(set(models)) != len(models):
        raise RowError(row, "models", "lists a model twice")
    return models
