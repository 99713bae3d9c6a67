"""Event ids: valid version-7 UUIDs, unique, and increasing in the order they were made."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest

from ccc_contracts.ids import uuid7_text

pytestmark = pytest.mark.unit


def test_ids_are_version_7_uuids_in_canonical_form() -> None:
    text = uuid7_text()
    parsed = UUID(text)
    assert (parsed.version, parsed.variant) == (7, "specified in RFC 4122")
    assert str(parsed) == text


def test_ids_made_one_after_another_sort_in_that_order_even_in_a_burst() -> None:
    burst = [uuid7_text() for _ in range(20_000)]  # many per millisecond
    assert burst == sorted(burst)
    assert len(set(burst)) == len(burst)


def test_ids_made_by_concurrent_threads_never_collide() -> None:
    made: list[list[str]] = [[] for _ in range(4)]

    def make(into: list[str]) -> None:
        into.extend(uuid7_text() for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in made for i in ids]
    assert len(set(everything)) == len(everything)
    assert all(ids == sorted(ids) for ids in made)
