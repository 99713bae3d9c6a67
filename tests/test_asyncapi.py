"""The AsyncAPI document: current with the contracts, complete, and true to the wire form."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ccc_audit import asyncapi
from ccc_contracts import PUBLISHERS
from ccc_contracts.envelope import Actor, RecordedEvent, new_event_id, utcnow
from ccc_contracts.registry import CertificateSuspended

DOCUMENT = Path(__file__).parent.parent / asyncapi.DOCUMENT
pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The document as the contracts give it now."""
    return asyncapi.build_document()


def test_the_checked_in_document_is_current() -> None:
    assert DOCUMENT.exists(), f"{DOCUMENT} is missing: run `{asyncapi.REGENERATE}`"
    assert asyncapi.is_current(DOCUMENT), (
        f"{DOCUMENT} is out of date with ccc_contracts:"
        f" run `{asyncapi.REGENERATE}` and commit docs/asyncapi.yaml"
    )


def test_the_checked_in_document_is_yaml_of_asyncapi_3() -> None:
    loaded = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    assert loaded["asyncapi"] == "3.0.0"
    assert loaded["channels"]


def test_every_published_event_version_has_a_message_on_its_subject(
    document: dict[str, Any],
) -> None:
    for context, registry in PUBLISHERS.items():
        for model in registry.models():
            channel = document["channels"][f"{context}.{model.event_type}"]
            assert channel["address"].startswith(f"ccc.{context}.")
            assert channel["address"].endswith(f".{model.event_type}")
            assert f"{model.event_type}.v{model.schema_version}" in channel["messages"]


def test_channel_parameters_are_the_address_placeholders(document: dict[str, Any]) -> None:
    for channel in document["channels"].values():
        placeholders = set(re.findall(r"\{(\w+)\}", channel["address"]))
        assert placeholders == set(channel["parameters"])


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return own + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for item in node for r in refs(item)]
        return []

    for ref in refs(document):
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert target is not None, ref
    operations = document["operations"].values()
    sent = {m["$ref"].split("/")[-1] for op in operations for m in op["messages"]}
    assert sent == set(document["components"]["messages"])


def wire(data: CertificateSuspended) -> dict[str, Any]:
    """A published envelope, byte for byte what the relay sends, parsed back."""
    now = utcnow()
    event = RecordedEvent(
        str(new_event_id()), data.event_type, data.schema_version, "certificate",
        data.certificate_number, 2, now, now, Actor(id="registrar-7", role="admin"),
        str(new_event_id()), None, "enterprise-registry", data, "a" * 64, "b" * 64,
    )  # fmt: skip
    loaded: dict[str, Any] = json.loads(event.to_json())
    return loaded


def payload_validator(document: dict[str, Any], message: str) -> jsonschema.Validator:
    """A validator for one message's payload, resolving references inside the document."""
    schema = {**document, "$ref": f"#/components/messages/{message}/payload"}
    validator: jsonschema.Validator = jsonschema.Draft202012Validator(schema)
    return validator


def test_a_real_envelope_validates_against_its_message_and_not_another(
    document: dict[str, Any],
) -> None:
    suspended = CertificateSuspended(
        certificate_number="2026010901000001", holder_credit_code="91330100MA00050076",
        product_category="1812", certification_body="CCCF", article="Order 117 art 27",
        effective_on=date(2026, 11, 27), reason_code="follow_up_refused_or_failed",
    )  # fmt: skip
    envelope = wire(suspended)
    payload_validator(document, "CertificateSuspended.v1").validate(envelope)
    assert not payload_validator(document, "CertificateRegistered.v1").is_valid(envelope)
    broken = {**envelope, "data": {**envelope["data"], "reason_code": "made_up"}}
    assert not payload_validator(document, "CertificateSuspended.v1").is_valid(broken)


def test_the_check_command_fails_on_a_stale_document_and_says_how_to_regenerate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ccc_audit.cli import main

    stale = tmp_path / "asyncapi.yaml"
    stale.write_text("asyncapi: 3.0.0\n", encoding="utf-8")
    assert main(["asyncapi", "--check", "--output", str(stale)]) == 1
    assert asyncapi.REGENERATE in capsys.readouterr().err
    assert main(["asyncapi", "--output", str(stale)]) == 0
    assert main(["asyncapi", "--check", "--output", str(stale)]) == 0


def test_the_console_script_runs() -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "ccc-audit"
    done = subprocess.run(
        [str(script), "asyncapi", "--check", "--output", str(DOCUMENT)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "is current" in done.stdout
