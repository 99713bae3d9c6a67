"""FastStream's AsyncAPI document of a subscriber: its consumers' subjects and event models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bus import ROOT, example

from ccc_contracts.registry import CertificateRegistered, CertificateSuspended
from ccc_contracts.subscriber import Subscriber

pytestmark = pytest.mark.unit


def test_the_warehouse_asyncapi_names_each_filter_and_the_models_it_handles(
    tmp_path: Path,
) -> None:
    warehouse = example("warehouse").build(f"sqlite:///{tmp_path / 'w.db'}")
    document = warehouse.asyncapi()
    assert document["asyncapi"] == "3.0.0"
    addresses = sorted(channel["address"] for channel in document["channels"].values())
    filters = sorted(subject for subjects in warehouse.filters().values() for subject in subjects)
    assert addresses == filters
    assert "ccc.registry.certificate.>" in addresses
    assert "ccc.enforcement.*.*.CaseOpened" in addresses
    schemas = document["components"]["schemas"]
    for model in ("CertificateSuspended", "CertificateRevoked", "CaseOpened", "CaseClosed"):
        assert model in schemas
    registry_event = schemas["CccRegistryEvent"]  # the envelope, its data one of the handled
    assert {"event_id", "event_type", "schema_version", "actor", "hash", "data"} <= set(
        registry_event["properties"]
    )
    kinds = {ref["$ref"].rsplit("/", 1)[1] for ref in registry_event["properties"]["data"]["anyOf"]}
    assert "CertificateSuspended" in kinds
    assert "CaseOpened" not in kinds  # that one arrives on enforcement's stream


def test_the_certification_body_prints_its_asyncapi_as_yaml(tmp_path: Path) -> None:
    printed = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "examples" / "certification_body.py"), "--asyncapi",
         "--body", "CCCF", "--user", "cccf", "--database", f"sqlite:///{tmp_path / 'cb.db'}"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    document = yaml.safe_load(printed.stdout)
    assert document["info"]["title"] == "cccf: a CCC Supervision subscriber"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {
        "ccc.registry.*.*.CertificateRegistered",
        "ccc.inspection.*.*.ViolationFound",
    }
    assert "ViolationFound" in document["components"]["schemas"]


def test_a_filter_covered_by_a_wider_one_is_left_out(tmp_path: Path) -> None:
    """nats-server refuses a consumer one of whose filters covers another."""
    kit = Subscriber("cqc", database_url=f"sqlite:///{tmp_path / 'k.db'}")
    kit.watch("registry", "ccc.registry.certificate.>")
    kit.handles(CertificateSuspended, aggregate_type="certificate")(lambda event, conn: None)
    kit.handles(CertificateRegistered)(lambda event, conn: None)  # partly overlapping: kept
    assert kit.filters() == {
        "CCC_REGISTRY": ["ccc.registry.certificate.>", "ccc.registry.*.*.CertificateRegistered"]
    }
