"""Random command sequences never reach an illegal state and replay equals the live state;
random records: every violation the rules name is found, and none is invented."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection_given import ENTERPRISE, ID, OTHER_ENTERPRISE, TODAY, record

from ccc_shared.contracts.inspection import ProductSeen, ViolationFound
from inspection.domain import inspections
from inspection.domain.base import DomainError
from inspection.domain.findings import check
from inspection.domain.inspection_commands import (
    AREAS,
    AssignInspection,
    CancelInspection,
    CertificateFact,
    CompleteInspection,
    InspectionCommand,
    ScheduleInspection,
    StartInspection,
)
from inspection.domain.inspection_events import InspectionEvent

pytestmark = pytest.mark.unit

# The machine, written out again independently of the code: command -> {from: to}.
TRANSITIONS: dict[type[InspectionCommand], dict[str | None, str]] = {
    ScheduleInspection: {None: "scheduled"},
    AssignInspection: {"scheduled": "assigned", "assigned": "assigned"},
    StartInspection: {"assigned": "started"},
    CompleteInspection: {"started": "completed"},
    CancelInspection: {"scheduled": "cancelled", "assigned": "cancelled", "started": "cancelled"},
}
INSPECTORS = ["李明", "王芳", "张伟"]

commands = st.one_of(
    st.builds(
        lambda kind, due: ScheduleInspection(
            inspection_id=ID,
            enterprise_credit_code=ENTERPRISE,
            kind=kind,
            due_on=TODAY + timedelta(days=due),
            certification_body="CQC" if kind == "joint_verification" else None,
        ),
        st.sampled_from(["patrol", "surprise", "spot_check", "joint_verification"]),
        st.integers(min_value=-3, max_value=30),
    ),
    st.builds(
        lambda inspector: AssignInspection(inspection_id=ID, department="所", inspector=inspector),
        st.sampled_from(INSPECTORS),
    ),
    st.just(StartInspection(inspection_id=ID)),
    st.builds(
        lambda signers, drop: CompleteInspection(
            inspection_id=ID,
            record=record(inspectors=tuple(signers)).model_copy(
                update={"areas": tuple(record().areas)[: len(AREAS) - drop]}
            ),
        ),
        st.lists(st.sampled_from(INSPECTORS), min_size=1, max_size=2, unique=True),
        st.sampled_from([0, 0, 1]),
    ),
    st.just(CancelInspection(inspection_id=ID, reason="停产")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(commands, st.integers(min_value=0, max_value=10)), max_size=12))
def test_random_commands_follow_the_machine_and_replay_equals_live_state(
    steps: list[tuple[InspectionCommand, int]],
) -> None:
    state: inspections.Inspection | None = None
    history: list[InspectionEvent] = []
    today = TODAY
    for command, pause in steps:
        today += timedelta(days=pause)
        before = None if state is None else state.status
        try:
            events = inspections.decide(state, command, today)
        except DomainError:
            continue
        assert before in TRANSITIONS[type(command)], (before, command)
        for event in events:
            state = inspections.evolve(state, event)
        history.extend(events)
        assert state is not None
        assert state.status == TRANSITIONS[type(command)][before]
        if state.status in ("assigned", "started", "completed"):
            assert state.department
            assert state.inspector
        if state.status == "completed":
            assert state.started_on is not None
            assert state.closed_on is not None
        if state.status == "cancelled":
            assert state.cancel_reason
    assert inspections.replay(history) == state


CATEGORIES = ["0701", "0703"]
MODELS = ["M1", "M2", "M3"]
NUMBERS = ["N1", "N2", "N3", "N4"]

certificates = st.lists(
    st.builds(
        CertificateFact,
        number=st.sampled_from(NUMBERS),
        holder_credit_code=st.sampled_from([ENTERPRISE, ENTERPRISE, OTHER_ENTERPRISE]),
        product_category=st.sampled_from(CATEGORIES),
        models=st.lists(st.sampled_from(MODELS), min_size=1, max_size=2, unique=True).map(tuple),
        status=st.sampled_from(["valid", "valid", "suspended", "revoked", "cancelled", "expired"]),
    ),
    max_size=4,
    unique_by=lambda certificate: certificate.number,
).map(tuple)
products = st.lists(
    st.builds(
        ProductSeen,
        product_category=st.sampled_from(CATEGORIES),
        model=st.sampled_from(MODELS),
        certificate_number=st.sampled_from([None, None, *NUMBERS, "N9"]),
    ),
    max_size=4,
)


def lawful(product: ProductSeen, known: tuple[CertificateFact, ...]) -> bool:
    """The rules restated: a valid own certificate of the category covers the model (the one
    shown, if a number is shown)."""
    candidates = [
        c
        for c in known
        if c.holder_credit_code == ENTERPRISE
        and c.product_category == product.product_category
        and product.model in c.models
        and c.status == "valid"
    ]
    if product.certificate_number is None:
        return bool(candidates)
    return any(c.number == product.certificate_number for c in candidates)


@settings(max_examples=300, deadline=None)
@given(products, certificates, st.booleans())
def test_no_violation_is_missed_and_none_is_invented(
    seen: list[ProductSeen], known: tuple[CertificateFact, ...], mark_misused: bool
) -> None:
    results: dict[str, Any] = {"mark_use": "nonconforming"} if mark_misused else {}
    found = check(ID, ENTERPRISE, record(*seen, results=results), known)
    violations = [finding for finding in found if isinstance(finding, ViolationFound)]
    unlawful = [product for product in seen if not lawful(product, known)]
    assert len(violations) == len(unlawful) + mark_misused
    product_violations = violations[: len(unlawful)]
    for violation, product in zip(product_violations, unlawful, strict=True):
        assert violation.evidence[1].startswith(
            f"product {product.product_category} model {product.model}"
        )
    assert len({v.violation_id for v in found if isinstance(v, ViolationFound)}) == len(violations)
    assert all(v.enterprise_credit_code == ENTERPRISE for v in violations)
