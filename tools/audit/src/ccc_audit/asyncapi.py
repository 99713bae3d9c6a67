"""The AsyncAPI 3.0 document of every published event, generated from the services' records.

Each service's record (``<package>.main.service``) names the contract events it publishes
(``Service.published``: its ``ccc_contracts`` module's registry, what its outbox sends).

One channel per published event type, at its subject
``ccc.<context>.{aggregate_type}.{aggregate_id}.<EventType>``; one message per schema version,
whose payload is the envelope (``WireEnvelope``) with ``data`` set to that version's JSON
schema. Regenerate with ``uv run ccc-audit asyncapi`` (writes ``docs/asyncapi.yaml``);
``tests/test_asyncapi.py`` fails when the checked-in document is not current.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ccc_audit.services import records
from ccc_contracts import PUBLISHERS
from ccc_contracts.base import EventData
from ccc_contracts.envelope import WireEnvelope
from ccc_shared.messaging import stream_name

DOCUMENT = Path("docs/asyncapi.yaml")
REGENERATE = "uv run ccc-audit asyncapi"
REF = "#/components/schemas/{model}"
DOCUMENT_VERSION = "1.0.0"
CONTEXT_ORDER = list(PUBLISHERS)  # the document's order of services (as it always was)


def message_key(model: type[EventData]) -> str:
    """The component name of one version of an event: ``ViolationFound.v2``."""
    return f"{model.event_type}.v{model.schema_version}"


def channel_key(context: str, event_type: str) -> str:
    """The channel id of an event type: ``registry.CertificateSuspended``."""
    return f"{context}.{event_type}"


def build_document() -> dict[str, Any]:
    """The AsyncAPI document as a dictionary (stable order: contexts, then event types)."""
    published: list[tuple[str, type[EventData]]] = [
        (record.context, model)
        for record in sorted(records(), key=lambda record: CONTEXT_ORDER.index(record.context))
        if record.published is not None
        for model in record.published.models()
    ]
    inputs: list[tuple[type[BaseModel], Literal["validation"]]] = [(WireEnvelope, "validation")]
    inputs += [(model, "validation") for _, model in published]
    keys, schemas = models_json_schema(inputs, ref_template=REF)
    components: dict[str, Any] = dict(sorted(schemas.get("$defs", {}).items()))
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    envelope_ref = keys[(WireEnvelope, "validation")]["$ref"]
    for context, model in published:
        key = message_key(model)
        messages[key] = _message(model, envelope_ref, keys[(model, "validation")]["$ref"])
        channel_id = channel_key(context, model.event_type)
        channel = channels.setdefault(channel_id, _channel(context, model))
        channel["messages"][key] = {"$ref": f"#/components/messages/{key}"}
        operation = operations.setdefault(
            f"send.{channel_id}",
            {
                "action": "send",
                "summary": f"The {context} service publishes {model.event_type}"
                f" on {stream_name(context)}",
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [],
            },
        )
        operation["messages"].append({"$ref": f"#/channels/{channel_id}/messages/{key}"})
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "CCC Supervision events",
            "version": DOCUMENT_VERSION,
            "description": (
                "Every contract event the four services publish on NATS JetStream, one stream"
                " per publishing service (CCC_REGISTRY, CCC_INSPECTION, CCC_ENFORCEMENT,"
                " CCC_NOTIFICATION), kept forever. Generated from ccc_contracts by"
                f" `{REGENERATE}`; do not edit by hand. See docs/subscribers.md."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "embedded": {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": "the embedded nats-server of `make up` / `make demo`",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": components},
    }


def _channel(context: str, model: type[EventData]) -> dict[str, Any]:
    aggregate_type = getattr(model, "aggregate_type", None)
    type_token = aggregate_type if isinstance(aggregate_type, str) else "{aggregate_type}"
    parameters: dict[str, Any] = {
        "aggregate_id": {"description": "id of the aggregate the event belongs to"}
    }
    if type_token == "{aggregate_type}":
        parameters = {
            "aggregate_type": {"description": "the publishing aggregate (snake_case)"},
            **parameters,
        }
    return {
        "address": f"ccc.{context}.{type_token}.{{aggregate_id}}.{model.event_type}",
        "title": model.event_type,
        "description": f"{model.event_type} events on stream {stream_name(context)}",
        "parameters": parameters,
        "messages": {},
    }


def _message(model: type[EventData], envelope_ref: str, data_ref: str) -> dict[str, Any]:
    summary = (model.__doc__ or model.event_type).strip().splitlines()[0]
    return {
        "name": model.event_type,
        "title": f"{model.event_type} v{model.schema_version}",
        "summary": summary,
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "Nats-Msg-Id": {"type": "string", "description": "the event_id (deduplication)"},
                "Nats-Expected-Last-Msg-Id": {
                    "type": "string",
                    "description": "the event_id published before it on the stream",
                },
            },
        },
        "payload": {
            "allOf": [
                {"$ref": envelope_ref},
                {
                    "type": "object",
                    "properties": {
                        "event_type": {"const": model.event_type},
                        "schema_version": {"const": model.schema_version},
                        "data": {"$ref": data_ref},
                    },
                },
            ]
        },
    }


def render() -> str:
    """The document as YAML text (Chinese kept as text)."""
    return yaml.safe_dump(build_document(), sort_keys=False, allow_unicode=True, width=100)


def write(path: Path = DOCUMENT) -> Path:
    """Write the document (and its folder); returns the path written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


def is_current(path: Path = DOCUMENT) -> bool:
    """Whether the document at ``path`` is what the contracts give today."""
    return path.exists() and path.read_text(encoding="utf-8") == render()
