"""Given/when/then: a rectification check names its case and reports whether the order was kept."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import settings
from hypothesis import strategies as st
from inspection_given import (
    ASSIGNED,
    ENTERPRISE,
    ID,
    STARTED,
    TODAY,
    certificate,
    given,
    product,
    record,
    scheduled_event,
)

from ccc_contracts.inspection import (
    InspectionCompleted,
    InspectionScheduled,
    InspectionScheduledV1,
    RectificationChecked,
    ViolationFound,
    registry,
)
from inspection.domain.inspection_commands import AREAS, CompleteInspection, ScheduleInspection

pytestmark = pytest.mark.unit

CHECK = scheduled_event(
    kind="rectification_check", case_number="CASE-2026-007", cause="case CASE-2026-007"
)


def complete(*products: object, **results: str) -> CompleteInspection:
    return CompleteInspection(
        inspection_id=ID,
        record=record(*products, results=results or None),  # type: ignore[arg-type]
        certificates=(certificate(),),
    )


def test_a_rectification_check_is_scheduled_with_the_case_it_verifies() -> None:
    command = ScheduleInspection(
        inspection_id=ID,
        enterprise_credit_code=ENTERPRISE,
        kind="rectification_check",
        due_on=date(2026, 5, 31),
        cause="case CASE-2026-007",
        case_number="CASE-2026-007",
    )
    state = given().when(command, today=date(2026, 5, 1)).then(CHECK)
    assert state is not None
    assert state.case_number == "CASE-2026-007"


@pytest.mark.parametrize(
    ("kind", "case_number", "message"),
    [
        ("rectification_check", None, "names the case whose order it verifies"),
        ("patrol", "CASE-1", "only a rectification check verifies a case's order"),
    ],
)
def test_a_case_belongs_to_rectification_checks_only(
    kind: str, case_number: str | None, message: str
) -> None:
    command = ScheduleInspection(
        inspection_id=ID,
        enterprise_credit_code=ENTERPRISE,
        kind=kind,  # type: ignore[arg-type]
        due_on=TODAY,
        case_number=case_number,
    )
    given().when(command).then_raises(message)


def test_a_check_finding_nothing_wrong_reports_the_rectification_passed() -> None:
    def check(events: object) -> None:
        *_, last = events  # type: ignore[misc]
        assert last == RectificationChecked(
            inspection_id=ID,
            case_number="CASE-2026-007",
            enterprise_credit_code=ENTERPRISE,
            checked_on=TODAY,
            passed=True,
            notes="rectification carried out",
        )

    given(CHECK, ASSIGNED, STARTED).when(complete(product())).then_events(check)


def test_a_nonconforming_area_fails_the_rectification_and_says_where() -> None:
    def check(events: object) -> None:
        last = list(events)[-1]  # type: ignore[call-overload]
        assert isinstance(last, RectificationChecked)
        assert not last.passed
        assert "warehousing nonconforming" in last.notes

    given(CHECK, ASSIGNED, STARTED).when(complete(warehousing="nonconforming")).then_events(check)


def test_a_violation_fails_the_rectification_and_names_it() -> None:
    def check(events: object) -> None:
        found = list(events)  # type: ignore[call-overload]
        assert [type(e).__name__ for e in found][-2:] == ["ViolationFound", "RectificationChecked"]
        violation, last = found[-2], found[-1]
        assert isinstance(violation, ViolationFound)
        assert isinstance(last, RectificationChecked)
        assert not last.passed
        assert violation.violation_id in last.notes

    uncovered = product(model="KFR-99GW")
    given(CHECK, ASSIGNED, STARTED).when(complete(uncovered)).then_events(check)


def test_other_inspections_report_no_rectification() -> None:
    def check(events: object) -> None:
        # the patrol is completed (a clean record: nothing else) and checks no order
        assert [type(e) for e in events] == [InspectionCompleted]  # type: ignore[attr-defined]

    given(scheduled_event(), ASSIGNED, STARTED).when(complete(product())).then_events(check)


def test_a_version_1_schedule_reads_as_version_2_without_a_case() -> None:
    old = InspectionScheduledV1(
        inspection_id=ID,
        enterprise_credit_code=ENTERPRISE,
        kind="patrol",
        due_on=TODAY,
        scheduled_on=TODAY,
    )
    read = registry.decode("InspectionScheduled", 1, old.model_dump_json())
    assert isinstance(read, InspectionScheduled)
    assert read.case_number is None


@settings(max_examples=200, deadline=None)
@hypothesis_given(
    st.lists(st.sampled_from(["KFR-35GW", "KFR-26GW", "KFR-99GW"]), max_size=3),
    st.dictionaries(
        st.sampled_from(AREAS), st.sampled_from(["conforming", "nonconforming", "not_applicable"])
    ),
)
def test_a_rectification_passes_exactly_when_nothing_is_wrong(
    models: list[str], results: dict[str, str]
) -> None:
    command = CompleteInspection(
        inspection_id=ID,
        record=record(*(product(model=m) for m in models), results=results),  # type: ignore[arg-type]
        certificates=(certificate(),),
    )
    events = given(CHECK, ASSIGNED, STARTED).when(command).decided()
    (checked,) = [e for e in events if isinstance(e, RectificationChecked)]
    uncovered = any(m == "KFR-99GW" for m in models)
    failing = "nonconforming" in results.values()
    assert checked.passed is not (uncovered or failing)
    assert checked.case_number == "CASE-2026-007"
