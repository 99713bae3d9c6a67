"""Who may publish and subscribe what on NATS: one user per service, read-only outside users.

A service may publish only its own events (``ccc.<context>.>``), the dead letters of its own
consumers (``ccc.deadletter.<consumer>.>``) and the JetStream API calls its kernel makes for its
own stream, the dead-letter stream and its own durable consumers on the streams it reads; it
subscribes only to its own reply inbox (``_INBOX_<user>.>``, set with nats-py's
``inbox_prefix``, so nobody reads another user's replies or pull deliveries). An outside
system's read-only user may look at the four service streams, create and read its own
consumers and subscribe to ``ccc.<context>.>``; it cannot publish events, nor touch the
services' durable consumers. Subjects measured against nats-server 2.15 with nats-py 2.16
(``shared/tests/test_nats_permissions.py``).

The same table renders the embedded server's config (``EmbeddedNats(secure=True)``, passwords
generated into the data folder) and ``deploy/nats/accounts.conf`` for compose (passwords read
from the environment by nats-server: ``$CCC_NATS_<USER>_PASSWORD``).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccc_shared.messaging.streams import (
    DEADLETTER_PREFIX,
    DEADLETTER_STREAM,
    SERVICE_CONTEXTS,
    context_subjects,
    stream_name,
)

ACCOUNT = "CCC"
API = "$JS.API"


@dataclass(frozen=True)
class ServiceUser:
    """A service's bus user: the context it publishes, and its durable consumers per stream."""

    context: str
    consumes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # context -> durables

    @property
    def name(self) -> str:
        return self.context

    @property
    def durables(self) -> set[str]:
        return {durable for names in self.consumes.values() for durable in names}


@dataclass(frozen=True)
class ReadOnlyUser:
    """An outside system that reads the published record and may change nothing in it."""

    name: str
    contexts: tuple[str, ...] = SERVICE_CONTEXTS


# The services' subscriptions as their main.py wires them (durable names per stream read).
# A subscription missing here is refused by the server at start-up: keep this in step (a test
# per service can assert ``uncovered_subscriptions(...) == []``, see WIRING.md).
SERVICE_USERS = (
    ServiceUser("registry", {"inspection": ("registry-inspection",),
                             "enforcement": ("registry-enforcement",)}),
    ServiceUser("inspection", {"registry": ("inspection-registry",),
                               "enforcement": ("inspection-enforcement",)}),
    ServiceUser("enforcement", {"inspection": ("enforcement-inspection",)}),
    ServiceUser("notification", {"registry": ("notification-registry",),
                                 "inspection": ("notification-inspection",),
                                 "enforcement": ("notification-enforcement",)}),
)  # fmt: skip
READ_ONLY_USERS = (ReadOnlyUser("outside"),)


def uncovered_subscriptions(
    context: str,
    subscriptions: Iterable[tuple[str, str]],
    services: Iterable[ServiceUser] = SERVICE_USERS,
) -> list[str]:
    """Which ``(durable name, consumed context)`` of a service its bus user may not run."""
    user = next((service for service in services if service.context == context), None)
    allowed = user.consumes if user is not None else {}
    return [
        f"{name} on {stream_name(consumed)}"
        for name, consumed in subscriptions
        if name not in allowed.get(consumed, ())
    ]


def inbox_prefix(user: str) -> str:
    """The reply-subject prefix a user connects with (nats-py ``inbox_prefix``)."""
    return f"_INBOX_{user}"


def password_variable(user: str) -> str:
    """The environment variable holding a user's password in compose."""
    return f"CCC_NATS_{user.upper().replace('-', '_')}_PASSWORD"


def _stream_api(stream: str, *verbs: str) -> list[str]:
    return [f"{API}.STREAM.{verb}.{stream}" for verb in verbs]


def _durable_api(stream: str, durable: str) -> list[str]:
    """What a runner needs for its own durable pull consumer on ``stream``."""
    return [
        f"{API}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",  # nats-py: durable_name only
        f"{API}.CONSUMER.CREATE.{stream}.{durable}",  # nats-py: name set (server >= 2.9)
        f"{API}.CONSUMER.CREATE.{stream}.{durable}.>",  # ... with one filter subject
        f"{API}.CONSUMER.INFO.{stream}.{durable}",
        f"{API}.CONSUMER.MSG.NEXT.{stream}.{durable}",
        f"$JS.ACK.{stream}.{durable}.>",
    ]


def service_permissions(user: ServiceUser) -> dict[str, Any]:
    """Publish and subscribe permissions of a service's user."""
    own = stream_name(user.context)
    allow = [context_subjects(user.context)]
    allow += [f"{DEADLETTER_PREFIX}.{durable}.>" for durable in sorted(user.durables)]
    allow += _stream_api(own, "INFO", "CREATE", "UPDATE", "MSG.GET")  # relay: ensure + tail
    allow += _stream_api(DEADLETTER_STREAM, "INFO", "CREATE", "UPDATE")
    for context, durables in user.consumes.items():
        consumed = stream_name(context)
        # the kernel ensures the streams it reads (a publisher may not have started yet);
        # its ensure_stream updates an existing stream, hence UPDATE (see WIRING.md)
        allow += _stream_api(consumed, "INFO", "CREATE", "UPDATE")
        for durable in durables:
            allow += _durable_api(consumed, durable)
    return {
        "publish": {"allow": _unique(allow)},
        "subscribe": {"allow": [f"{inbox_prefix(user.name)}.>"]},
    }


def read_only_permissions(user: ReadOnlyUser, services: Iterable[ServiceUser]) -> dict[str, Any]:
    """Permissions of an outside system: read streams, own consumers, no events published."""
    allow = [f"{API}.INFO", f"{API}.STREAM.NAMES", f"{API}.STREAM.LIST"]
    for context in user.contexts:
        stream = stream_name(context)
        allow += _stream_api(stream, "INFO", "MSG.GET")
        allow += [
            f"{API}.DIRECT.GET.{stream}",
            f"{API}.DIRECT.GET.{stream}.>",
            f"{API}.CONSUMER.CREATE.{stream}",
            f"{API}.CONSUMER.CREATE.{stream}.>",
            f"{API}.CONSUMER.DURABLE.CREATE.{stream}.*",
            f"{API}.CONSUMER.INFO.{stream}.*",
            f"{API}.CONSUMER.DELETE.{stream}.*",
            f"{API}.CONSUMER.NAMES.{stream}",
            f"{API}.CONSUMER.LIST.{stream}",
            f"{API}.CONSUMER.MSG.NEXT.{stream}.*",
            f"$JS.ACK.{stream}.>",
        ]
    deny = []  # the services' own durable consumers are theirs alone
    for durable in sorted({d for service in services for d in service.durables}):
        deny += [
            f"{API}.CONSUMER.*.*.{durable}",
            f"{API}.CONSUMER.*.*.{durable}.>",
            f"{API}.CONSUMER.DURABLE.CREATE.*.{durable}",
            f"{API}.CONSUMER.MSG.NEXT.*.{durable}",
            f"$JS.ACK.*.{durable}.>",
        ]
    publish: dict[str, list[str]] = {"allow": _unique(allow)}
    if deny:
        publish["deny"] = deny
    subscribe = [f"{inbox_prefix(user.name)}.>"]
    subscribe += [context_subjects(context) for context in user.contexts]
    return {"publish": publish, "subscribe": {"allow": subscribe}}


def _unique(subjects: list[str]) -> list[str]:
    return list(dict.fromkeys(subjects))


@dataclass(frozen=True)
class EnvironmentVariable:
    """A value nats-server reads from its environment (rendered bare: ``$NAME``)."""

    name: str


Password = str | EnvironmentVariable


def accounts_config(
    passwords: Mapping[str, Password],
    services: Iterable[ServiceUser] = SERVICE_USERS,
    readers: Iterable[ReadOnlyUser] = READ_ONLY_USERS,
) -> dict[str, Any]:
    """The ``accounts`` block: one JetStream account holding every user and its permissions."""
    services = tuple(services)
    users = [
        {"user": s.name, "password": passwords[s.name], "permissions": service_permissions(s)}
        for s in services
    ]
    users += [
        {
            "user": reader.name,
            "password": passwords[reader.name],
            "permissions": read_only_permissions(reader, services),
        }
        for reader in readers
    ]
    return {"accounts": {ACCOUNT: {"jetstream": "enabled", "users": users}}}


def render(value: Any, indent: int = 0) -> str:
    """nats-server config text (JSON-like; environment variables bare)."""
    pad = "  " * indent
    if isinstance(value, EnvironmentVariable):
        return f"${value.name}"
    if isinstance(value, dict):
        lines = [f"{pad}  {key}: {render(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{pad}}}"
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return "[" + ", ".join(json.dumps(item) for item in value) + "]"
        items = [f"{pad}  {render(item, indent + 1)}" for item in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if value == "enabled":
        return "enabled"
    return json.dumps(value, ensure_ascii=False)


def render_config(config: Mapping[str, Any], header: str = "") -> str:
    """A whole config file: top-level keys, one block each."""
    text = "".join(f"# {line}\n" for line in header.splitlines())
    return text + "".join(f"{key}: {render(value)}\n" for key, value in config.items())


def all_user_names(
    services: Iterable[ServiceUser] = SERVICE_USERS,
    readers: Iterable[ReadOnlyUser] = READ_ONLY_USERS,
) -> list[str]:
    """Every bus user the config defines."""
    return [s.name for s in services] + [r.name for r in readers]


def compose_accounts_config() -> str:
    """``deploy/nats/accounts.conf``: the passwords come from nats-server's environment."""
    passwords = {name: EnvironmentVariable(password_variable(name)) for name in all_user_names()}
    header = (
        "Generated by ccc_shared.runtime.nats_permissions (compose_accounts_config): do not edit.\n"
        "Bus users and permissions; passwords from the environment ($CCC_NATS_<USER>_PASSWORD)."
    )
    return render_config(accounts_config(passwords), header)


def embedded_credentials(data_dir: Path) -> dict[str, str]:
    """The embedded server's passwords, generated once into ``credentials.json`` (mode 0600)."""
    path = data_dir / "credentials.json"
    known: dict[str, str] = json.loads(path.read_text()) if path.is_file() else {}
    missing = [name for name in all_user_names() if name not in known]
    if missing:
        known.update({name: secrets.token_urlsafe(24) for name in missing})
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known, indent=2) + "\n")
        os.chmod(path, 0o600)
    return known


def write_embedded_config(data_dir: Path) -> Path:
    """Write the embedded server's ``nats.conf`` (accounts, users, permissions); return it."""
    passwords = embedded_credentials(data_dir)
    path = data_dir / "nats.conf"
    header = "Written by EmbeddedNats(secure=True); passwords in credentials.json beside it."
    path.write_text(render_config(accounts_config(passwords), header))
    os.chmod(path, 0o600)
    return path


def main() -> int:
    """Print ``deploy/nats/accounts.conf`` (regenerate it when the users above change)."""
    print(compose_accounts_config(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
