"""Who may open an inbox: its owner; section heads and admins any; auditors any, to read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccc_shared.runtime.auth import ROLES, Principal
from notification.api.context import is_inbox, may_open_inbox

pytestmark = pytest.mark.unit
USER_IDS = st.text(alphabet="abcdefghij-0123456789王芳", min_size=1, max_size=12)


@pytest.mark.parametrize(
    ("role", "reads", "marks"),
    [
        ("inspector", False, False),
        ("case_officer", False, False),
        ("section_head", True, True),
        ("admin", True, True),
        ("auditor", True, False),
        ("system", False, False),
    ],
)
def test_another_persons_inbox_by_role(role: str, reads: bool, marks: bool) -> None:
    someone = Principal.of("officer-4", "某人", "test-department", role)
    assert may_open_inbox(someone, "staff:officer-3", reading=True) is reads
    assert may_open_inbox(someone, "staff:officer-3", reading=False) is marks
    assert may_open_inbox(someone, "section_head", reading=True) is reads


@given(user_id=USER_IDS, role=st.sampled_from(ROLES), reading=st.booleans())
def test_everyone_opens_their_own_inbox(user_id: str, role: str, reading: bool) -> None:
    person = Principal.of(user_id, "某人", "test-department", role)
    assert may_open_inbox(person, f"staff:{user_id}", reading=reading)


@given(user_id=USER_IDS, other=USER_IDS)
def test_staff_never_open_anothers_inbox(user_id: str, other: str) -> None:
    staff = Principal.of(user_id, "某人", "test-department", "inspector", "case_officer")
    assert may_open_inbox(staff, f"staff:{other}", reading=True) is (user_id == other)


@pytest.mark.parametrize(
    ("recipient", "inbox"),
    [("staff:officer-3", True), ("section_head", True), ("bureau:330102", False),
     ("certification_body:CQC", False), ("cnca", False)],
)  # fmt: skip
def test_which_recipients_have_a_persons_inbox(recipient: str, inbox: bool) -> None:
    assert is_inbox(recipient) is inbox
