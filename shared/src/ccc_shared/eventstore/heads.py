"""The stream heads a process has seen: an append can skip reading the head it just loaded.

A command loads its stream, decides and appends; the load ends at the head (its version and
hash), so the append can name that head without a round trip to read it again. The append's
statement still checks version and hash against the stored head, so an entry gone stale
(another process appended, a transaction rolled back) costs one more round trip, never a
wrong chain.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

KNOWN_HEADS = 10_000  # streams remembered per store, the least recently seen forgotten first


class KnownHeads:
    """(aggregate type, aggregate id) -> (version, hash), bounded, safe across threads."""

    def __init__(self, size: int = KNOWN_HEADS) -> None:
        self._size = size
        self._heads: OrderedDict[tuple[str, str], tuple[int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[int, str] | None:
        """The head last seen for a stream, if remembered."""
        with self._lock:
            return self._heads.get(key)

    def remember(self, key: tuple[str, str], version: int, hash_: str) -> None:
        """Keep a stream's head as just seen."""
        with self._lock:
            self._heads[key] = (version, hash_)
            self._heads.move_to_end(key)
            if len(self._heads) > self._size:
                self._heads.popitem(last=False)
