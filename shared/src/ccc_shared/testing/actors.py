"""Who a test's HTTP request comes from: the headers that identify a person in a role.

Every service test sends ``actor_headers(role)`` instead of writing identity headers itself,
so the way a caller proves who it is (headers today, bearer tokens with access control) is
changed in one place.
"""

from __future__ import annotations

from urllib.parse import quote

DEFAULT_PEOPLE: dict[str, tuple[str, str]] = {
    "inspector": ("inspector-7", "王芳"),
    "case_officer": ("officer-3", "李强"),
    "section_head": ("head-1", "陈静"),
    "auditor": ("auditor-2", "赵敏"),
    "admin": ("admin-1", "周杰"),
    "system": ("system", "system"),
}


def actor_headers(
    role: str = "inspector", *, user_id: str | None = None, name: str | None = None
) -> dict[str, str]:
    """HTTP headers naming the person making a request, in ``role``."""
    default_id, default_name = DEFAULT_PEOPLE.get(role, (f"{role}-1", role))
    return {
        "X-Actor-Id": user_id or default_id,
        "X-Actor-Role": role,
        "X-Actor-Name": quote(name or default_name),
    }
