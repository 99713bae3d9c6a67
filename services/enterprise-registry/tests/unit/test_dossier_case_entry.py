"""The dossier names the case a violation led to."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_contracts.enforcement import CaseOpened
from enterprise_registry.projections.dossier import enforcement_entry

pytestmark = pytest.mark.unit
CODE = "914403001922038216"


def test_a_case_opened_for_a_violation_names_the_violation_in_the_dossier() -> None:
    opened = CaseOpened(
        case_number="CCC-2026-00007", source="violation", violation_id="V-INS-9",
        subject_kind="enterprise", subject_credit_code=CODE, problem="certificate_invalid",
        found_on=date(2026, 3, 2), opened_on=date(2026, 3, 2),
        register_decision_due_on=date(2026, 3, 23),
    )  # fmt: skip
    assert enforcement_entry(opened) == (
        CODE, "case", "case CCC-2026-00007 opened for violation V-INS-9: certificate_invalid",
    )  # fmt: skip
