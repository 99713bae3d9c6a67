"""Shared pieces of the benchmarks: the bench event, timing, result rows and scratch databases."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypedDict

import psycopg
from psycopg import sql

from ccc_contracts.base import EventData, EventRegistry

REPEATS = 3
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"

# ~500 bytes of UTF-8 JSON payload on both sides (Chinese text is 3 bytes per character).
FINDING = "现场检查发现产品铭牌与认证证书不一致，要求企业限期整改并提交整改报告。" * 2
REMARKS = "检查员已拍照取证，企业负责人签字确认，抽样产品已封存并送检测机构复核，结果另行通知。"


class Payload(TypedDict):
    """The fields of the bench event."""

    enterprise_id: str
    certificate_no: str
    inspector: str
    sequence: int
    finding: str
    remarks: str


def payload(sequence: int) -> Payload:
    """The fields of one bench event (same values on every side)."""
    return {
        "enterprise_id": "91310000MA1FL8XQ4A",
        "certificate_no": "2024010901234567",
        "inspector": "王检查员",
        "sequence": sequence,
        "finding": FINDING,
        "remarks": REMARKS,
    }


bench_registry = EventRegistry()


@bench_registry.register
class InspectionNoted(EventData):
    """The bench event: a few fields including Chinese text, ~500 bytes as JSON."""

    event_type = "InspectionNoted"
    enterprise_id: str
    certificate_no: str
    inspector: str
    sequence: int
    finding: str
    remarks: str


def payload_size() -> int:
    """Bytes of one bench event's JSON payload."""
    return len(InspectionNoted(**payload(1)).model_dump_json().encode())


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the result table."""

    what: str
    ours: float
    baseline: float
    target: float  # minimum ours / baseline

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= self.target


def timed(work: Callable[[], int]) -> float:
    """Run ``work`` (returning how many events it handled) and give events per second."""
    start = time.perf_counter()
    count = work()
    return count / (time.perf_counter() - start)


def median_rate(rates: list[float]) -> float:
    """Median of the repetitions' rates."""
    return statistics.median(rates)


def print_table(rows: list[Row]) -> None:
    """The single result table (Markdown)."""
    header = "| what | ours (events/s) | baseline (events/s) | ours/baseline | target | met? |"
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row.what} | {row.ours:,.0f} | {row.baseline:,.0f} | {row.ratio:.2f}x "
            f"| >= {row.target:g}x | {'yes' if row.met else 'NO'} |"
        )


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[str]:
    """Create a fresh PostgreSQL database, yield its name, and drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_url(dbname: str) -> str:
    """SQLAlchemy URL of a scratch database (psycopg 3 driver)."""
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


def fdatasync_rate(seconds: float = 2.0, folder: str | None = None) -> float:
    """The disk's rate of 8 kB write + ``fdatasync`` in a loop, as a commit alone pays it.

    PostgreSQL flushes its WAL with ``fdatasync`` (``wal_sync_method``); a commit that waits
    alone for its flush can go no faster than this (pg_test_fsync's "one 8kB write" figure).
    """
    block = os.urandom(8192)
    with tempfile.NamedTemporaryFile(dir=folder, prefix="ccc-bench-fsync-") as file:
        descriptor, count = file.fileno(), 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            os.pwrite(descriptor, block, 0)
            os.fdatasync(descriptor)
            count += 1
        return count / (time.perf_counter() - started)
