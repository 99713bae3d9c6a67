"""PostgreSQL's commit-order horizon: waiting until what committed before a read can be read.

Readers go in ``(tx, position)`` order below ``pg_snapshot_xmin(pg_current_snapshot())``, the
oldest transaction still running on the server (the ordering rule: ``sql``'s docstring). An
event committed before a read may still sit above the horizon while an older transaction runs;
a read that must include it polls the horizon (one cheap statement) until every transaction
that was running when the read began has ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

SETTLE_SECONDS = 30.0  # longest a read-all waits for transactions running at its start
OUTBOX_SETTLE_SECONDS = 1.0  # the relay polls again: a short wait, and never an error
POLL_MAX_SECONDS = 0.005

HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
CURRENT_XACT = "pg_current_xact_id()::text::bigint"
# the horizon now, and the id the next transaction will take (every one that committed
# before this statement is below it)
SNAPSHOT = (
    "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint"
    " FROM pg_current_snapshot() AS s"
)
OLDEST_RUNNING = (
    "SELECT backend_xid::text, pid, datname, state FROM pg_stat_activity"
    " WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1"
)


def settle(cursor: Any, read: Callable[[], bool], seconds: float, *, strict: bool) -> None:
    """``read()`` until it has enough or every transaction running at the start has ended.

    After ``seconds``, ``strict`` raises ``TimeoutError`` naming what holds the read back;
    otherwise it returns with what was read.
    """
    cursor.execute(SNAPSHOT)
    horizon, target = cursor.fetchone()
    deadline, pause = time.monotonic() + seconds, 0.001
    while not read() and horizon < target:  # the horizon was taken before the read
        if time.monotonic() > deadline:
            if strict:
                raise TimeoutError(held_back(cursor, target, seconds))
            return
        time.sleep(pause)
        pause = min(pause * 2, POLL_MAX_SECONDS)
        cursor.execute(SNAPSHOT)
        horizon = cursor.fetchone()[0]


def held_back(cursor: Any, target: int, seconds: float) -> str:
    """Which running transaction keeps the events committed before a read from it."""
    cursor.execute(OLDEST_RUNNING)
    oldest = cursor.fetchone()
    holder = (
        f"transaction {oldest[0]} (pid {oldest[1]}, database {oldest[2]}, {oldest[3]})"
        if oldest
        else "a running transaction"
    )
    return (
        f"events committed before transaction {target} are still held back after"
        f" {seconds:g} s by {holder}: readers wait for every transaction that could still"
        " commit an event before them"
    )
