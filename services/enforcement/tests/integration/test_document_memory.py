"""A 100 MB upload to the running service process is refused without its memory growing.

The service runs as its own process (as deployed) so its resident memory can be read from
``/proc``: its peak (``VmHWM``) before and after a 100 MB upload, streamed from a generator
without a length (cut off while streaming at 20 MiB) and declared by ``Content-Length``
(refused before a byte is read). The issue measured +155 MB when the body was read whole.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.launcher import SERVICES, start_service, stop_services, wait_until_healthy
from ccc_shared.testing.actors import actor_headers
from ccc_shared.testing.system import free_port_block
from enforcement.projections.tables import documents

MIB = 1024 * 1024
UPLOAD = {**actor_headers("case_officer"), "Content-Type": "application/pdf"}
ENFORCEMENT = next(spec for spec in SERVICES if spec.name == "enforcement")


def memory_kib(pid: int) -> dict[str, int]:
    """The process's resident (VmRSS) and peak resident (VmHWM) memory, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def pdf_stream(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """``total`` bytes starting like a PDF, generated a chunk at a time (never held whole)."""
    zeros = b"0" * chunk
    yield b"%PDF-1.7\n"
    sent = 9
    while sent < total:
        piece = zeros[: total - sent]
        yield piece
        sent += len(piece)


def kept(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def enforcement_process(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> Iterator[tuple[str, int]]:
    """The enforcement service as its own process: its URL and process id."""
    log = (tmp_path / "enforcement.log").open("wb")
    port = free_port_block(1)
    service = start_service(
        ENFORCEMENT, port, embedded_nats.url, tmp_path, database_url=database_url,
        environment={"ENFORCEMENT_LOG_FORMAT": "json"}, output=log,
    )  # fmt: skip
    try:
        problem = wait_until_healthy([service], threading.Event(), timeout=60)
        assert problem is None, problem
        yield service.url, service.process.pid
    finally:
        stop_services([service])
        log.close()


def test_a_100_mb_upload_is_refused_without_the_service_memory_growing(
    enforcement_process: tuple[str, int], database_url: str
) -> None:
    url, pid = enforcement_process
    with httpx.Client(base_url=url, timeout=60) as http:
        # given the upload path warmed up: a small document kept, a 2 MiB one streamed and kept
        assert http.post("/documents", content=b"%PDF-1.7\nwarm", headers=UPLOAD).status_code == 201
        assert (
            http.post("/documents", content=pdf_stream(2 * MIB), headers=UPLOAD).status_code == 201
        )
        before = memory_kib(pid)
        # when 100 MB stream in without a length, then with one
        streamed = http.post("/documents", content=pdf_stream(100 * MIB), headers=UPLOAD)
        after_stream = memory_kib(pid)
        declared = http.post(
            "/documents",
            content=pdf_stream(100 * MIB),
            headers={**UPLOAD, "Content-Length": str(100 * MIB)},
        )
        after = memory_kib(pid)
        # then both are refused naming the 20 MiB limit
        assert streamed.status_code == 413
        assert streamed.json()["detail"] == (
            "the request body is larger than this route's limit of 20971520 bytes (20480 KiB)"
        )
        assert declared.status_code == 413
        # and the service's peak memory grew by less than 8 MiB (it was +155 MB read whole)
        growth = after["VmHWM"] - before["VmHWM"]
        print(f"\nenforcement memory KiB before={before} after stream={after_stream}"
              f" after declared={after} peak growth={growth} KiB")  # fmt: skip
        assert growth < 8 * 1024, (before, after_stream, after)
        # and nothing but the warm-up documents is kept; the next upload is kept as usual
        assert kept(database_url) == 2
        assert http.post("/documents", content=b"%PDF-1.7\nnext", headers=UPLOAD).status_code == 201
        assert kept(database_url) == 3
