"""Feed rows: CSV and JSON records parse into checked rows; a bad field is named with its row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ccc_contracts.credit_code import check_character
from enterprise_registry.application.feed_rows import (
    FeedFormatError,
    RowError,
    parse_row,
    read_records,
)

pytestmark = pytest.mark.unit

BODY = "91330100MA2B3C4D5"
HOLDER = BODY + check_character(BODY)
HEADER = (
    "number,holder_credit_code,manufacturer,factory,product_category,models,"
    "certification_body,issued_on,expires_on,status,status_date,reason_code"
)


def record(**changes: Any) -> dict[str, Any]:
    """A good record of a suspended certificate."""
    return {
        "number": "2023010101000001",
        "holder_credit_code": HOLDER,
        "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂",
        "product_category": "1812",
        "models": "MFZ/ABC4；MFZ/ABC8; MFZ/ABC2",
        "certification_body": "CCCF",
        "issued_on": "2023-01-01",
        "expires_on": "",
        "status": "Suspended",
        "status_date": "2024-03-05",
        "reason_code": "holder_requested",
        **changes,
    }


def test_a_good_row_parses_with_both_model_separators() -> None:
    row = parse_row(1, record())
    assert row.models == ("MFZ/ABC4", "MFZ/ABC8", "MFZ/ABC2")
    assert (row.status, row.status_date, row.expires_on) == ("suspended", date(2024, 3, 5), None)
    assert parse_row(2, record(models=["A", "B"], status="valid", reason_code="")).models == (
        "A",
        "B",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"issued_on": "2023-02-30"}, "issued_on", "is not a date"),
        ({"holder_credit_code": BODY + "?"}, "holder_credit_code", "check character"),
        ({"status": "frozen"}, "status", "'frozen' is not one of"),
        ({"reason_code": "rectified"}, "reason_code", "is not a suspended reason"),
        ({"reason_code": ""}, "reason_code", "needs a reason code"),
        ({"models": "A;A"}, "models", "twice"),
        ({"models": " ; "}, "models", "is required"),
        ({"factory": None}, "factory", "is required"),
    ],
)
def test_a_bad_field_is_named_with_its_row(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(RowError) as raised:
        parse_row(7, record(**changes))
    assert (raised.value.row, raised.value.field) == (7, field)
    assert words in raised.value.reason


def test_csv_and_json_files_read_into_records() -> None:
    line = ",".join(str(value) for value in record(models="A;B").values())
    csv_file = ("\ufeff" + HEADER + "\n" + line + "\n").encode()
    [from_csv] = read_records(csv_file, "csv")
    assert (from_csv["number"], from_csv["models"]) == ("2023010101000001", "A;B")
    assert read_records(b'[{"number": "X"}]', "json") == [{"number": "X"}]
    with pytest.raises(FeedFormatError, match="lacks the columns"):
        read_records(b"number,status\nX,valid\n", "csv")
    with pytest.raises(FeedFormatError, match="list of objects"):
        read_records(b'{"number": "X"}', "json")
