"""Province-sized data: how the registry's costs grow with its history, on SQLite and PostgreSQL.

A province holds about 100,000 enterprises and 300,000 certificates (2 million events across
the four services). This bench grows the enterprise registry's store in steps (each step
doubles it), appending through the store as the command handlers do (one command per
stream), and at each size measures: appends, loading one stream, decoded read-all, the
rebuild of every read model (``ccc-audit rebuild``), and the interactive queries (an
enterprise, a certificate, a dossier, a filtered list page, coverage) as p50/p99 over random
keys. Costs that stay flat as the history grows are fine; those that grow with it are named.

``PROVINCE_ENTERPRISES`` sets the final size (default 1,000: ~8,000 events, so ``make bench``
stays quick; 100000 is a province); ``PROVINCE_STEPS`` the number of doublings measured (3).
Run alone: ``uv run python bench/province.py``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import postgres_url, scratch_postgres
from ccc_audit.rebuild import rebuild
from ccc_audit.services import ServiceStore, open_service
from ccc_contracts.base import EventData
from ccc_contracts.credit_code import check_character
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_contracts.registry import (
    CertificateRegistered,
    CertificateSuspended,
    EnterpriseRegistered,
)
from enterprise_registry.projections import queries

CERTIFICATES_PER_ENTERPRISE = 3
SUSPENDED_EVERY = 7  # one certificate in seven is suspended: the worklist filter's matches
SAMPLES = 200  # queries per kind and size
CATEGORIES = ("0101", "0201", "0704", "0812", "1601")
ACTOR = Actor(id="system", role="system", name="benchmark")
Timings = dict[str, float]


def credit_code(index: int) -> str:
    """A valid GB 32100-2015 credit code for enterprise ``index``."""
    body = f"91350100M{index:08d}"
    return body + check_character(body)


def enterprise_events(index: int) -> list[tuple[StreamId, list[EventData]]]:
    """The commands of one enterprise: its registration and its certificates."""
    code = credit_code(index)
    registered_on = date(2020, 1, 1) + timedelta(days=index % 1500)
    commands: list[tuple[StreamId, list[EventData]]] = [
        (
            StreamId("enterprise", code),
            [
                EnterpriseRegistered(
                    credit_code=code,
                    name=f"福建省第{index}电器有限公司",
                    address=f"福州市鼓楼区五四路{index % 900 + 1}号",
                    region="福州市",
                    scale="small",
                    legal_representative="林某某",
                    contact="0591-88888888",
                    in_jurisdiction=True,
                    product_categories=[CATEGORIES[index % 5]],
                    custodian_id=None if index % 11 == 0 else f"inspector-{index % 40}",
                    registered_on=registered_on,
                )
            ],
        )
    ]
    for number in range(CERTIFICATES_PER_ENTERPRISE):
        certificate = f"2020{index:08d}{number:04d}"
        change: dict[str, Any] = {
            "certificate_number": certificate, "holder_credit_code": code,
            "product_category": CATEGORIES[(index + number) % 5],
            "certification_body": "CQC", "article": "art 24", "effective_on": registered_on,
        }  # fmt: skip
        events: list[EventData] = [
            CertificateRegistered(
                **change,
                reason_code="issued",
                manufacturer=f"第{index}电器",
                factory=f"第{index}电器一厂",
                models=[f"M-{index}-{number}"],
                issued_on=registered_on,
                expires_on=registered_on + timedelta(days=1825),
            )
        ]
        if (index * CERTIFICATES_PER_ENTERPRISE + number) % SUSPENDED_EVERY == 0:
            events.append(
                CertificateSuspended(
                    **{**change, "article": "art 27", "reason": "监督抽查不合格"},
                    reason_code="certification_rules_violated",
                )
            )
        commands.append((StreamId("certificate", certificate), events))
    return commands


def grow(service: ServiceStore, first: int, last: int) -> tuple[int, float]:
    """Append enterprises ``first``..``last - 1`` (one command per stream); events, seconds."""
    store, count, started = service.store, 0, time.perf_counter()
    for index in range(first, last):
        for stream, events in enterprise_events(index):
            store.append(stream, events, 0, EventMetadata(actor=ACTOR))
            count += len(events)
    return count, time.perf_counter() - started


def percentiles(work: Callable[[int], object], keys: int) -> tuple[float, float]:
    """p50 and p99 milliseconds of ``work`` over random keys below ``keys``."""
    chance = random.Random(7)
    times = []
    for _ in range(SAMPLES):
        key = chance.randrange(keys)
        started = time.perf_counter()
        work(key)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def measure(service: ServiceStore, enterprises: int) -> dict[str, Any]:
    """Everything at the current size."""
    store = service.store
    started = time.perf_counter()
    events = sum(1 for _ in store.iter_all())
    read_rate = events / (time.perf_counter() - started)
    report = rebuild(service)
    figures: dict[str, Any] = {
        "events": events,
        "read-all decoded (events/s)": read_rate,
        "rebuild (events/s)": report.events_per_second,
    }

    def load(key: int) -> object:
        return store.load(StreamId("certificate", f"2020{key:08d}0000"))

    def with_conn(query: Callable[[Any, int], object]) -> Callable[[int], object]:
        def run(key: int) -> object:
            with store.reading() as conn:
                return query(conn, key)

        return run

    kinds: dict[str, Callable[[int], object]] = {
        "load a stream": load,
        "an enterprise": with_conn(lambda c, k: queries.get_enterprise(c, credit_code(k))),
        "a certificate": with_conn(lambda c, k: queries.get_certificate(c, f"2020{k:08d}0001")),
        "a dossier": with_conn(lambda c, k: queries.dossier(c, credit_code(k))),
        "worklist: suspended, page of 50": with_conn(
            lambda c, k: queries.list_enterprises(
                c,
                product_categories=[],
                region=None,
                supervision_class=None,
                certificate_status="suspended",
                limit=50,
                offset=0,
            )
        ),
    }
    for name, work in kinds.items():
        figures[f"{name} p50/p99 (ms)"] = percentiles(work, enterprises)
    started = time.perf_counter()
    with store.reading() as conn:
        queries.coverage(conn)
    figures["coverage, one call (ms)"] = (time.perf_counter() - started) * 1000
    return figures


def run_store(label: str, url: str, final: int, steps: int) -> list[tuple[int, dict[str, Any]]]:
    service = open_service("enterprise-registry", url)
    try:
        service.migrate()
        sizes = [max(1, final >> (steps - 1 - step)) for step in range(steps)]
        results, done = [], 0
        for size in sizes:
            count, seconds = grow(service, done, size)
            done = size
            figures = measure(service, size)
            figures["append, 1 command/stream (events/s)"] = count / seconds if seconds else 0
            results.append((size, figures))
            print(f"  {label} {size:,} enterprises: {figures['events']:,} events", file=sys.stderr)
        return results
    finally:
        service.close()


def print_results(label: str, results: list[tuple[int, dict[str, Any]]]) -> None:
    sizes = [size for size, _ in results]
    print(f"\n{label}: the registry at {', '.join(f'{s:,}' for s in sizes)} enterprises")
    print("| figure | " + " | ".join(f"{f['events']:,} events" for _, f in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for name in results[0][1]:
        if name == "events":
            continue
        cells = []
        for _, figures in results:
            value = figures[name]
            cells.append(
                f"{value[0]:.2f} / {value[1]:.2f}" if isinstance(value, tuple) else f"{value:,.0f}"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> int:
    final = int(os.environ.get("PROVINCE_ENTERPRISES", "1000"))
    steps = int(os.environ.get("PROVINCE_STEPS", "3"))
    with tempfile.TemporaryDirectory(prefix="ccc-bench-province-") as folder:
        sqlite = run_store("SQLite", f"sqlite:///{folder}/registry.db", final, steps)
    with scratch_postgres("bench_province") as db:
        postgres = run_store("PostgreSQL", postgres_url(db), final, steps)
    print_results("SQLite", sqlite)
    print_results("PostgreSQL", postgres)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
