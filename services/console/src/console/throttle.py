"""Sign-in throttling: repeated wrong passwords slow down, then refuse for a while, never forever.

Three counters of failed attempts within a window (OWASP authentication cheat sheet, "account
lockout" and "device cookies"):
- a user id from one address: after ``per_pair`` failures that pair waits, first ``base_lock``,
  doubling with each new lock up to ``max_lock``: someone guessing from one place is slowed;
- one address, whatever the user ids: after ``per_address`` failures it waits ``max_lock``;
- a user id from anywhere: after ``per_user`` failures (a guess spread over many addresses) the
  id waits ``max_lock`` too, except in a browser that has signed in as that person before (a
  signed "known device" cookie): an attacker cannot keep the real person out of their own
  browser, and no lock outlasts ``max_lock`` after the last failure that caused it.
A refused attempt checks no password (no argon2 work for the attacker to spend) and counts as
nothing. The counters live in this process's memory and forget what is older than the window.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_KEYS = 50_000  # beyond this, the stalest counters are forgotten first


@dataclass
class Counter:
    """Failures of one key within the window, how often it was locked, and until when."""

    failures: deque[datetime] = field(default_factory=deque)
    locks: int = 0
    locked_until: datetime | None = None


@dataclass
class SignInGuard:
    """Decides whether a sign-in attempt may be checked now, and learns from its outcome."""

    per_pair: int = 5
    per_address: int = 30
    per_user: int = 20
    window: timedelta = timedelta(minutes=15)
    base_lock: timedelta = timedelta(minutes=1)
    max_lock: timedelta = timedelta(minutes=15)
    _counters: dict[tuple[str, ...], Counter] = field(default_factory=dict)

    def wait(self, user_id: str, address: str, now: datetime, *, known_device: bool) -> timedelta:
        """How long this attempt must wait (zero: check the password now)."""
        keys = [("pair", user_id.lower(), address), ("address", address)]
        if not known_device:
            keys.append(("user", user_id.lower()))
        until = max(
            (c.locked_until for key in keys if (c := self._counters.get(key)) and c.locked_until),
            default=None,
        )
        return until - now if until is not None and until > now else timedelta(0)

    def failed(self, user_id: str, address: str, now: datetime) -> None:
        """Count a wrong password; lock the keys that reached their limit."""
        user = user_id.lower()
        self._count(("pair", user, address), self.per_pair, now, growing=True)
        self._count(("address", address), self.per_address, now, growing=False)
        self._count(("user", user), self.per_user, now, growing=False)

    def succeeded(self, user_id: str, address: str) -> None:
        """A right password from this address: its pair starts afresh."""
        self._counters.pop(("pair", user_id.lower(), address), None)

    def _count(self, key: tuple[str, ...], limit: int, now: datetime, *, growing: bool) -> None:
        counter = self._counters.pop(key, None) or Counter()
        self._counters[key] = counter  # most recently used last (evicted last)
        while counter.failures and counter.failures[0] <= now - self.window:
            counter.failures.popleft()
        if not counter.failures and (counter.locked_until or now) <= now - self.window:
            counter.locks = 0  # a quiet window since the last lock: start again from base_lock
        counter.failures.append(now)
        if len(counter.failures) >= limit:
            lock = self.base_lock * 2**counter.locks if growing else self.max_lock
            counter.locked_until = now + min(lock, self.max_lock)
            counter.locks += 1
            counter.failures.clear()
        while len(self._counters) > MAX_KEYS:
            del self._counters[next(iter(self._counters))]
