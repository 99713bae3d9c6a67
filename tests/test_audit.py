"""ccc-audit against running services: timeline, state as of, rebuild, verify, export.

Real NATS (a private nats-server per test) and both databases; the services are the real
registry and inspection apps, driven over HTTP.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from ccc_contracts.envelope import StreamId
from ccc_shared.runtime.embedded_nats import EmbeddedNats

sys.path.insert(0, str(Path(__file__).parent))

from test_audit_support import Lifecycle, lifecycle, run_cli

pytestmark = pytest.mark.integration


@pytest.fixture
async def run(
    database_url: str, embedded_nats: EmbeddedNats, tmp_path: Path
) -> AsyncIterator[Lifecycle]:
    """The registry and inspection after one certificate's suspension and its reaction."""
    async with lifecycle(database_url, embedded_nats.url, tmp_path) as running:
        yield running


async def test_timeline_of_an_enterprise_spans_the_streams_in_order(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = await run_cli(
        capsys, "timeline", "--enterprise", run.enterprise, "--nats", run.nats_url,
        "--format", "jsonl",
    )  # fmt: skip
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    types = [row["envelope"]["event_type"] for row in rows]
    assert types[0] == "EnterpriseRegistered"
    assert {"CertificateRegistered", "CertificateSuspended", "InspectionScheduled"} <= set(types)
    assert {row["stream"] for row in rows} == {"CCC_REGISTRY", "CCC_INSPECTION"}
    order = [(datetime.fromisoformat(r["envelope"]["occurred_at"]), r["sequence"]) for r in rows]
    assert order == sorted(order)
    suspended = next(r for r in rows if r["envelope"]["event_type"] == "CertificateSuspended")
    scheduled = next(r for r in rows if r["envelope"]["event_type"] == "InspectionScheduled")
    assert scheduled["envelope"]["causation_id"] == suspended["envelope"]["event_id"]
    assert types.index("CertificateSuspended") < types.index("InspectionScheduled")
    # the other enterprise's events are not in it
    assert all(run.other_enterprise not in json.dumps(row) for row in rows)


async def test_timeline_of_a_certificate_as_a_table(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = await run_cli(
        capsys, "timeline", "--certificate", run.certificate, "--nats", run.nats_url
    )
    assert status == 0
    # its two events, and the surprise inspection its suspension caused
    assert f"certificate {run.certificate}: 3 events" in out
    assert "CertificateRegistered" in out
    assert "CertificateSuspended" in out
    assert "InspectionScheduled" in out
    assert "EnterpriseRegistered" not in out
    status, out, _ = await run_cli(
        capsys, "timeline", "--certificate", run.certificate, "--nats", run.nats_url,
        "--no-causes",
    )  # fmt: skip
    assert f"certificate {run.certificate}: 2 events" in out
    status, out, _ = await run_cli(
        capsys, "timeline", "--case", "NO-SUCH-CASE", "--nats", run.nats_url, "--format", "jsonl"
    )
    assert (status, out) == (0, "")


async def test_state_of_a_certificate_as_of_before_and_after_its_suspension(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    store = run.store(run.registry)
    events = store.load(StreamId("certificate", run.certificate))
    registered_at = events[0].recorded_at.isoformat()
    args = ["state", "--service", "registry", "--database", run.registry_url,
            "--aggregate", "certificate", "--id", run.certificate]  # fmt: skip
    status, out, _ = await run_cli(capsys, *args, "--as-of", registered_at)
    before = json.loads(out)
    assert status == 0
    assert before["version"] == 1
    assert before["state"]["status"] == "valid"
    assert before["last_event"]["event_type"] == "CertificateRegistered"
    status, out, _ = await run_cli(capsys, *args)
    now = json.loads(out)
    assert (now["version"], now["state"]["status"]) == (2, "suspended")
    assert now["last_event"]["actor"]["id"] == "registrar-7"


async def test_rebuild_after_truncating_gives_the_same_read_models(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = run.store(run.registry).engine
    tables = ("registry_enterprises", "registry_enterprise_categories", "registry_certificates",
              "registry_dossier_entries")  # fmt: skip

    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        with engine.connect() as conn:
            return {
                t: sorted(tuple(map(str, r)) for r in conn.execute(text(f"SELECT * FROM {t}")))
                for t in tables
            }

    before = snapshot()
    assert before["registry_certificates"]
    assert before["registry_dossier_entries"]
    truncate = [arg for t in tables[:3] for arg in ("--truncate", t)]
    status, out, err = await run_cli(
        capsys, "rebuild", "--service", "enterprise-registry", "--database", run.registry_url,
        *truncate,
    )  # fmt: skip
    assert status == 0, err
    assert "events/s" in out
    assert "2 enterprise, 1 certificate" in out
    assert "rebuilding" in err  # the progress bar
    assert snapshot() == before
    # again, over live tables: dossier entries already there are kept, none doubled
    status, out, err = await run_cli(
        capsys, "rebuild", "--service", "registry", "--database", run.registry_url
    )
    assert status == 0, err
    assert snapshot() == before


async def test_rebuild_refuses_to_truncate_the_event_store_or_unknown_tables(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    store = run.store(run.registry)

    def certificates() -> list[tuple[str, ...]]:
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM registry_certificates"))
            return sorted(tuple(map(str, row)) for row in rows)

    events, register = [e.event_id for e in store.read_all()], certificates()
    assert events
    assert register
    rebuild = ["rebuild", "--service", "registry", "--database", run.registry_url]
    # a read model named first and the event store after it: refused before anything is emptied
    status, _, err = await run_cli(
        capsys, *rebuild, "--truncate", "registry_certificates", "--truncate", "events"
    )
    assert status == 2
    assert "events is not a read model" in err
    status, _, err = await run_cli(
        capsys, *rebuild, "--truncate", "registry_certificates", "--truncate", "registry_nothing"
    )
    assert status == 2
    assert "no table registry_nothing" in err
    assert [e.event_id for e in store.read_all()] == events  # unchanged, not merely non-empty
    assert certificates() == register
    state = ["state", "--service", "registry", "--database", run.registry_url]
    status, _, err = await run_cli(capsys, *state, "--aggregate", "ship", "--id", "1")
    assert status == 2
    assert "no aggregate 'ship'" in err


async def test_verify_finds_intact_chains_and_agreeing_streams_then_tampering(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    both = ["--service", "registry", "--database", run.registry_url,
            "--service", "inspection", "--database", run.inspection_url]  # fmt: skip
    status, out, _ = await run_cli(capsys, "verify", *both, "--nats", run.nats_url)
    assert status == 0, out
    assert "enterprise-registry: store and stream CCC_REGISTRY agrees" in out
    assert "inspection: store and stream CCC_INSPECTION agrees" in out
    # a forged message on the inspection stream: the stream no longer agrees with the store
    forged = {"event_id": "0192f0c0-0000-7000-8000-000000000000", "event_type": "Forged"}
    await run.nc.jetstream().publish(
        "ccc.inspection.inspection.x.Forged", json.dumps(forged).encode()
    )
    # an edited event in the registry's store: its hash chain breaks
    with run.store(run.registry).engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET data = REPLACE(data, 'MFZ/ABC4', 'MFZ/ABC8')"
                 " WHERE event_type = 'CertificateRegistered'")
        )  # fmt: skip
    status, out, _ = await run_cli(capsys, "verify", *both, "--nats", run.nats_url)
    assert status == 1
    assert f"changed: certificate/{run.certificate} version 1" in out
    assert "CCC_INSPECTION DISAGREES" in out
    assert "0192f0c0-0000-7000-8000-000000000000" in out


async def test_verify_names_each_malformed_message_by_stream_and_sequence_and_goes_on(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    js = run.nc.jetstream()
    broken = await js.publish("ccc.registry.enterprise.x.Broken", b'{"event_id": ')
    listed = await js.publish("ccc.registry.enterprise.x.Listed", b"[1, 2]")
    both = ["--service", "registry", "--database", run.registry_url,
            "--service", "inspection", "--database", run.inspection_url]  # fmt: skip
    status, out, _ = await run_cli(capsys, "verify", *both, "--nats", run.nats_url)
    assert status == 1
    assert (
        f"CCC_REGISTRY sequence {broken.seq} (ccc.registry.enterprise.x.Broken): not JSON:"
        " Expecting value: line 1 column 14 (char 13)"
    ) in out
    assert (
        f"CCC_REGISTRY sequence {listed.seq} (ccc.registry.enterprise.x.Listed):"
        " not a JSON object but list"
    ) in out
    assert "enterprise-registry: store and stream CCC_REGISTRY DISAGREES: 2 messages" in out
    # the run went on: the registry's own events still agree, the next service is verified
    assert "inspection: store and stream CCC_INSPECTION agrees" in out
    status, out, err = await run_cli(
        capsys, "export", "--stream", "CCC_REGISTRY", "--nats", run.nats_url
    )
    assert status == 0
    assert len(out.splitlines()) == broken.seq - 1
    assert f"CCC_REGISTRY sequence {listed.seq}: not a JSON object but list" in err


async def test_export_writes_the_envelopes_as_json_lines(
    run: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = await run_cli(
        capsys, "export", "--stream", "CCC_REGISTRY", "--nats", run.nats_url
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert len(lines) == await run.published("CCC_REGISTRY")
    assert [e["event_id"] for e in lines] == [
        e.event_id
        for e in run.store(run.registry).read_all()
        if e.event_type in {line["event_type"] for line in lines}
    ]
    assert "浙江消防器材有限公司" in out  # Chinese kept as text
    subject = f"ccc.registry.certificate.{run.certificate}.>"
    status, out, _ = await run_cli(
        capsys, "export", "--stream", "CCC_REGISTRY", "--subject", subject,
        "--nats", run.nats_url,
    )  # fmt: skip
    types = [json.loads(line)["event_type"] for line in out.splitlines()]
    assert types == ["CertificateRegistered", "CertificateSuspended"]
