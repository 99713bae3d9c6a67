"""The certificate change feed over HTTP and from the CLI: only what differs becomes events."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from registry_support import (
    SYSTEM,
    Registry,
    credit_code,
    register,
    register_body,
    running_registry,
)

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.settings import sqlite_url
from enterprise_registry.application.feed_rows import COLUMNS
from enterprise_registry.main import Settings

pytestmark = pytest.mark.integration

ISSUED = "2025-03-02"  # 365 days before the registry fixture's fixed 2026-03-02


def feed_row(number: str, holder: str, **changes: Any) -> dict[str, Any]:
    """A valid certificate as the feed states it."""
    return {
        "number": number,
        "holder_credit_code": holder,
        "manufacturer": "浙江消防器材有限公司",
        "factory": "杭州工厂",
        "product_category": "1812",
        "models": "MFZ/ABC4;MFZ/ABC8",
        "certification_body": "CCCF",
        "issued_on": ISSUED,
        "expires_on": "",
        "status": "valid",
        "status_date": "",
        "reason_code": "",
        **changes,
    }


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as a UTF-8 CSV file with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def post_feed(registry: Registry, data: bytes, media: str = "text/csv") -> dict[str, Any]:
    """Import a feed over HTTP as the machine that fetches it, asserting it was accepted."""
    headers = {**SYSTEM, "Content-Type": media}
    response = await registry.http.post("/certificate-feed", content=data, headers=headers)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_import_reimport_and_changed_rows(registry: Registry) -> None:
    rows = [feed_row(f"2025CCC{n:04d}", credit_code()) for n in range(10)]
    report = await post_feed(registry, as_csv(rows))
    assert report == {
        "rows_read": 10, "rows_unchanged": 0, "rows_changed": 10,
        "events": {"CertificateRegistered": 10}, "errors": [],
    }  # fmt: skip

    async def published() -> list[dict[str, Any]]:
        messages = await registry.published_on("ccc.registry.certificate.>")
        return messages if len(messages) >= 10 else []

    messages = await registry.eventually(published)
    assert {m["aggregate_id"] for m in messages} == {row["number"] for row in rows}
    assert messages[0]["actor"] == {"id": "system", "role": "system", "name": "system"}
    assert messages[0]["data"]["reason_code"] == "imported"

    before = registry.event_count()
    again = await post_feed(registry, as_csv(rows))
    assert (again["rows_unchanged"], again["events"], again["errors"]) == (10, {}, [])
    assert registry.event_count() == before

    rows[3] = {**rows[3], "status": "suspended", "reason_code": "follow_up_refused_or_failed"}
    rows[5] = {**rows[5], "models": "MFZ/ABC4；MFZ/ABC8；MFZ/ABC12"}
    changed = await post_feed(registry, as_csv(rows))
    assert changed["events"] == {"CertificateSuspended": 1, "CertificateScopeChanged": 1}
    assert (changed["rows_changed"], changed["rows_unchanged"], changed["errors"]) == (2, 8, [])
    assert registry.event_count() == before + 2
    suspended = await registry.read(f"/certificates/{rows[3]['number']}")
    assert (suspended["status"], suspended["status_article"]) == (
        "suspended",
        "Order 117 art 27(3)",
    )
    scoped = await registry.read(f"/certificates/{rows[5]['number']}")
    assert scoped["models"] == ["MFZ/ABC4", "MFZ/ABC8", "MFZ/ABC12"]
    assert (await post_feed(registry, as_csv(rows)))["events"] == {}


async def test_bad_rows_are_reported_and_the_rest_imported(registry: Registry) -> None:
    good = [feed_row(f"2025BAD{n:04d}", credit_code()) for n in range(4)]
    code = credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    bad = [
        feed_row("2025BADX001", credit_code(), issued_on="2025-02-30"),
        feed_row("2025BADX002", wrong),
        feed_row("2025BADX003", credit_code(), status="frozen"),
    ]
    report = await post_feed(
        registry, as_csv([good[0], bad[0], good[1], bad[1], bad[2], *good[2:]])
    )
    assert report["events"] == {"CertificateRegistered": 4}
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (2, "issued_on"), (4, "holder_credit_code"), (5, "status"),
    ]  # fmt: skip
    assert "is not a date" in report["errors"][0]["reason"]
    assert f"check character should be {code[17]!r}" in report["errors"][1]["reason"]
    assert "'frozen' is not one of" in report["errors"][2]["reason"]
    response = await registry.http.get("/certificates/2025BADX001", headers=SYSTEM)
    assert response.status_code == 404

    # an illegal transition: art 28(3) revokes only a suspended certificate
    refused = {**good[0], "status": "revoked", "reason_code": "not_rectified_while_suspended"}
    report = await post_feed(registry, as_csv([refused, good[1]]))
    [error] = report["errors"]
    assert (error["row"], error["field"]) == (1, "status")
    assert "art 28(3)" in error["reason"]
    assert (report["events"], report["rows_unchanged"]) == ({}, 1)

    response = await registry.http.post(
        "/certificate-feed", content=b"a,b\n1,2\n", headers={**SYSTEM, "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    response = await registry.http.post(
        "/certificate-feed", content=b"x", headers={**SYSTEM, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415


async def test_json_feed(registry: Registry) -> None:
    rows = [
        feed_row("2025JSON0001", credit_code(), models=["MFZ/ABC4", "MFZ/ABC8"]),
        feed_row("2025JSON0002", credit_code(), status="cancelled", reason_code="holder_requested"),
    ]
    data = json.dumps(rows, ensure_ascii=False).encode()
    report = await post_feed(registry, data, "application/json")
    assert report["events"] == {"CertificateRegistered": 2, "CertificateCancelled": 1}
    assert report["errors"] == []
    again = await post_feed(registry, data, "application/json")
    assert (again["events"], again["rows_unchanged"]) == ({}, 2)
    cancelled = await registry.read("/certificates/2025JSON0002")
    assert cancelled["status"] == "cancelled"


async def test_a_feed_file_larger_than_a_json_command_is_still_read(registry: Registry) -> None:
    # given a feed file past the 256 KiB of a JSON command (a bad row padded out)
    padded = feed_row("2025BIG0001", "not-a-credit-code", factory="厂" * 100_000)
    data = as_csv([padded])
    assert len(data) > 256 * 1024
    # then it is read under the upload limit, and its bad row reported, not refused whole
    report = await post_feed(registry, data)
    assert (report["rows_read"], report["events"]) == (1, {})
    assert "holder_credit_code" in [error["field"] for error in report["errors"]]


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a command to its end, capturing its output."""
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


async def test_cli_imports_into_a_sqlite_store_the_service_publishes_later(
    tmp_path: Path, embedded_nats: EmbeddedNats
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_bytes(as_csv([feed_row(f"2025CLI{n:04d}", credit_code()) for n in range(5)]))
    url = sqlite_url(tmp_path / "registry.db")
    command = [
        str(Path(sys.executable).parent / "ccc-registry-import"),
        str(feed), "--database-url", url, "--every", "2",
    ]  # fmt: skip
    first = await asyncio.to_thread(run, command)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["events"] == {"CertificateRegistered": 5}
    assert "2/5 rows" in first.stderr
    assert "5/5 rows" in first.stderr
    assert "rows/s" in first.stderr
    second = await asyncio.to_thread(run, command)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["events"] == {}

    settings = Settings(database_url=url, nats_url=embedded_nats.url, data_dir=tmp_path)
    async with running_registry(settings) as registry:

        async def published() -> list[dict[str, Any]]:
            messages = await registry.published_on("ccc.registry.certificate.>")
            return messages if len(messages) == 5 else []

        messages = await registry.eventually(published)
    assert messages[0]["actor"]["role"] == "system"
    assert messages[0]["actor"]["id"].startswith("cli:")


async def test_a_feed_certificate_of_an_unregistered_holder_waits_on_the_worklist(
    registry: Registry,
) -> None:
    holder = credit_code()
    report = await post_feed(registry, as_csv([feed_row("FEED-W1", holder)]))
    assert report["events"] == {"CertificateRegistered": 1}  # the feed comes first: recorded
    waiting = await registry.read("/certificates/unmatched")
    assert [(c["number"], c["holder_missing"], c["body_missing"]) for c in waiting] == [
        ("FEED-W1", True, True)
    ]
    await register_body(registry)
    await register(registry, holder)
    assert await registry.read("/certificates/unmatched") == []
