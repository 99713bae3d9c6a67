"""Who a test's HTTP request comes from: a bearer token naming a person in a role.

Every service test sends ``actor_headers(role)`` instead of building identity itself. The
token is a JWT signed with ``TEST_JWT``'s key, which the test session puts in ``AUTH_JWT_KEY``
(see the root ``conftest.py``) so every app a test builds, and every service process an
end-to-end test starts, checks it the way production checks the bureau's tokens.
"""

from __future__ import annotations

import functools

from ccc_shared.runtime.auth import JwtSettings, Principal, mint_token

TEST_JWT = JwtSettings("ccc-test-signing-key-" + "k" * 32)
DEFAULT_PEOPLE: dict[str, tuple[str, str]] = {
    "inspector": ("inspector-7", "王芳"),
    "case_officer": ("officer-3", "李强"),
    "section_head": ("head-1", "陈静"),
    "auditor": ("auditor-2", "赵敏"),
    "admin": ("admin-1", "周杰"),
    "system": ("system", "system"),
}


def actor_headers(
    role: str = "inspector",
    *,
    user_id: str | None = None,
    name: str | None = None,
    department: str = "test-department",
) -> dict[str, str]:
    """HTTP headers naming the person making a request, in ``role``."""
    default_id, default_name = DEFAULT_PEOPLE.get(role, (f"{role}-1", role))
    token = _token(user_id or default_id, name or default_name, department, role)
    return {"Authorization": f"Bearer {token}"}


@functools.lru_cache(maxsize=256)
def _token(user_id: str, name: str, department: str, role: str) -> str:
    """One token per person and role for the test session (signing is not free)."""
    return mint_token(Principal.of(user_id, name, department, role), TEST_JWT)
