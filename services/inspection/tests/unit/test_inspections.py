"""Inspection lifecycle, given/when/then: each legal transition, and illegal ones refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from inspection_given import (
    ASSIGNED,
    ENTERPRISE,
    ID,
    INSPECTOR,
    SCHEDULED,
    STARTED,
    TODAY,
    certificate,
    given,
    product,
    record,
    scheduled_event,
)

from ccc_shared.contracts.inspection import (
    FindingRecorded,
    InspectionCancelled,
    InspectionCompleted,
    ViolationFound,
)
from inspection.domain.inspection_commands import (
    AREAS,
    AssignInspection,
    CancelInspection,
    CompleteInspection,
    PatrolRecord,
    ScheduleInspection,
    StartInspection,
)
from inspection.domain.inspection_events import (
    InspectionAssigned,
    InspectionEvent,
    InspectionStarted,
)
from inspection.domain.inspections import is_overdue

pytestmark = pytest.mark.unit

COMPLETED = InspectionCompleted(
    inspection_id=ID,
    enterprise_credit_code=ENTERPRISE,
    kind="patrol",
    completed_on=TODAY,
    due_on=date(2026, 5, 31),
    inspectors=[INSPECTOR, "王芳"],
    areas=list(record().areas),
    enterprise_feedback="希望加快证书变更办理",
    industry_problems="小作坊无证生产插头",
    violations=0,
    minor_findings=0,
)
CANCELLED = InspectionCancelled(
    inspection_id=ID,
    enterprise_credit_code=ENTERPRISE,
    kind="patrol",
    cancelled_on=TODAY,
    reason="企业已停产",
)


def schedule(**changes: object) -> ScheduleInspection:
    fields: dict[str, object] = {
        "inspection_id": ID,
        "enterprise_credit_code": ENTERPRISE,
        "kind": "patrol",
        "due_on": date(2026, 5, 31),
        "cause": "patrol plan",
    }
    return ScheduleInspection.model_validate(fields | changes)


ASSIGN = AssignInspection(inspection_id=ID, department="第一监管所", inspector=INSPECTOR)
START = StartInspection(inspection_id=ID)
COMPLETE = CompleteInspection(inspection_id=ID, record=record())
CANCEL = CancelInspection(inspection_id=ID, reason="企业已停产")


def test_an_inspection_is_scheduled_with_its_due_date_and_cause() -> None:
    state = given().when(schedule(), today=date(2026, 5, 1)).then(SCHEDULED)
    assert state is not None
    assert (state.status, state.due_on, state.cause) == (
        "scheduled",
        date(2026, 5, 31),
        "patrol plan",
    )


def test_a_joint_verification_is_scheduled_with_its_certification_body() -> None:
    command = schedule(kind="joint_verification", certification_body="CQC")
    expected = scheduled_event(kind="joint_verification", certification_body="CQC")
    given().when(command, today=date(2026, 5, 1)).then(expected)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": date(2026, 4, 30)}, "cannot be due on 2026-04-30, before today"),
        ({"kind": "joint_verification"}, "names the certification body"),
        ({"kind": "surprise", "certification_body": "CQC"}, "only a joint verification"),
    ],
)
def test_a_schedule_that_makes_no_sense_is_refused(
    changes: dict[str, object], message: str
) -> None:
    given().when(schedule(**changes), today=date(2026, 5, 1)).then_raises(message)


def test_an_inspection_is_scheduled_only_once() -> None:
    given(SCHEDULED).when(schedule()).then_raises("is already scheduled (patrol, scheduled)")


def test_a_scheduled_inspection_is_assigned_to_a_department_and_a_named_inspector() -> None:
    state = (
        given(SCHEDULED)
        .when(ASSIGN)
        .then(
            InspectionAssigned(
                inspection_id=ID,
                department="第一监管所",
                inspector=INSPECTOR,
                assigned_on=TODAY,
            )
        )
    )
    assert state is not None
    assert (state.status, state.department, state.inspector) == (
        "assigned",
        "第一监管所",
        INSPECTOR,
    )


def test_an_assigned_inspection_can_be_reassigned_before_it_starts() -> None:
    command = AssignInspection(inspection_id=ID, department="第二监管所", inspector="张伟")
    state = (
        given(SCHEDULED, ASSIGNED)
        .when(command)
        .then(
            InspectionAssigned(
                inspection_id=ID, department="第二监管所", inspector="张伟", assigned_on=TODAY
            )
        )
    )
    assert state is not None
    assert state.inspector == "张伟"


def test_an_assigned_inspection_starts() -> None:
    state = (
        given(SCHEDULED, ASSIGNED)
        .when(START)
        .then(InspectionStarted(inspection_id=ID, started_on=TODAY))
    )
    assert state is not None
    assert (state.status, state.started_on) == ("started", TODAY)


def test_a_started_inspection_completes_with_its_patrol_record() -> None:
    state = given(SCHEDULED, ASSIGNED, STARTED).when(COMPLETE).then(COMPLETED)
    assert state is not None
    assert (state.status, state.closed_on) == ("completed", TODAY)


@pytest.mark.parametrize(
    "history", [(SCHEDULED,), (SCHEDULED, ASSIGNED), (SCHEDULED, ASSIGNED, STARTED)]
)
def test_an_open_inspection_is_cancelled_with_its_reason(
    history: tuple[InspectionEvent, ...],
) -> None:
    state = given(*history).when(CANCEL).then(CANCELLED)
    assert state is not None
    assert (state.status, state.cancel_reason) == ("cancelled", "企业已停产")


@pytest.mark.parametrize(
    ("history", "command", "message"),
    [
        ((SCHEDULED,), START, "cannot start an inspection that is scheduled"),
        ((SCHEDULED,), COMPLETE, "cannot complete an inspection that is scheduled"),
        ((SCHEDULED, ASSIGNED), COMPLETE, "cannot complete an inspection that is assigned"),
        ((SCHEDULED, ASSIGNED, STARTED), ASSIGN, "cannot assign an inspection that is started"),
        ((SCHEDULED, ASSIGNED, STARTED), START, "cannot start an inspection that is started"),
        (
            (SCHEDULED, ASSIGNED, STARTED, COMPLETED),
            CANCEL,
            "cannot cancel an inspection that is completed",
        ),
        ((SCHEDULED, ASSIGNED, STARTED, COMPLETED), COMPLETE, "that is completed"),
        ((SCHEDULED, CANCELLED), ASSIGN, "cannot assign an inspection that is cancelled"),
        ((SCHEDULED, CANCELLED), CANCEL, "cannot cancel an inspection that is cancelled"),
        ((), ASSIGN, "inspection INS-2026-0001: is not scheduled"),
    ],
)
def test_an_illegal_transition_is_refused(
    history: tuple[InspectionEvent, ...], command: object, message: str
) -> None:
    given(*history).when(command).then_raises(message)  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", AREAS)
def test_completing_with_an_area_unanswered_is_refused_naming_the_area(missing: str) -> None:
    full = record()
    partial = PatrolRecord(
        areas=tuple(check for check in full.areas if check.area != missing),
        inspectors=full.inspectors,
    )
    title = "use of the 3C mark" if missing == "mark_use" else missing
    given(SCHEDULED, ASSIGNED, STARTED).when(
        CompleteInspection(inspection_id=ID, record=partial)
    ).then_raises(f"cannot complete: area '{title}' is unanswered")


def test_an_area_answered_twice_is_refused() -> None:
    full = record()
    doubled = full.model_copy(update={"areas": (*full.areas, full.areas[0])})
    given(SCHEDULED, ASSIGNED, STARTED).when(
        CompleteInspection(inspection_id=ID, record=doubled)
    ).then_raises("area 'purchasing' is answered more than once")


def test_the_assigned_inspector_must_sign_the_record() -> None:
    given(SCHEDULED, ASSIGNED, STARTED).when(
        CompleteInspection(inspection_id=ID, record=record(inspectors=("王芳",)))
    ).then_raises("the assigned inspector 李明 is not among the record's inspectors")


def test_completion_raises_the_records_violations_and_minor_findings_as_its_events() -> None:
    command = CompleteInspection(
        inspection_id=ID,
        record=record(product("KFR-72LW"), results={"warehousing": "nonconforming"}),
        certificates=(certificate(),),
    )

    def check(events: Sequence[InspectionEvent]) -> None:
        completed, violation, minor = events
        assert isinstance(completed, InspectionCompleted)
        assert (completed.violations, completed.minor_findings) == (1, 1)
        assert isinstance(violation, ViolationFound)
        assert violation.kind == "product_mismatch"
        assert isinstance(minor, FindingRecorded)
        assert minor.area == "warehousing"

    given(SCHEDULED, ASSIGNED, STARTED).when(command).then_events(check)
    state = (
        given(SCHEDULED, ASSIGNED, STARTED)
        .when(command)
        .then(
            COMPLETED.model_copy(
                update={
                    "areas": list(command.record.areas),
                    "products_seen": [product("KFR-72LW")],
                    "violations": 1,
                    "minor_findings": 1,
                }
            ),
            ViolationFound(
                violation_id=f"{ID}/V1",
                enterprise_credit_code=ENTERPRISE,
                kind="product_mismatch",
                article="Order 117 art 50",  # the product made differs from the one certified
                inspection_id=ID,
                certificate_number="2024010201234567",
                evidence=[
                    "rule product_mismatch",
                    "product 0701 model KFR-72LW, certificate shown: 2024010201234567",
                    "certificate 2024010201234567 (0701: KFR-35GW, KFR-26GW) held by"
                    f" {ENTERPRISE}, valid",
                ],
            ),
            FindingRecorded(
                finding_id=f"{ID}/F1",
                enterprise_credit_code=ENTERPRISE,
                inspection_id=ID,
                severity="minor",
                area="warehousing",
                summary="warehousing nonconforming; guided to rectify",
                evidence=["warehousing nonconforming"],
            ),
        )
    )
    assert state is not None
    assert (state.violations, state.minor_findings) == ((f"{ID}/V1",), (f"{ID}/F1",))


@pytest.mark.parametrize(
    ("history", "today", "overdue"),
    [
        ((SCHEDULED,), date(2026, 5, 31), False),
        ((SCHEDULED,), date(2026, 6, 1), True),
        ((SCHEDULED, ASSIGNED), date(2026, 6, 1), True),
        ((SCHEDULED, ASSIGNED, STARTED), date(2026, 6, 1), True),
        ((SCHEDULED, ASSIGNED, STARTED, COMPLETED), date(2026, 7, 1), False),
        ((SCHEDULED, CANCELLED), date(2026, 7, 1), False),
    ],
)
def test_an_open_inspection_past_its_due_date_is_overdue(
    history: tuple[InspectionEvent, ...], today: date, overdue: bool
) -> None:
    state = given(*history).state
    assert state is not None
    assert is_overdue(state, today) is overdue
