"""Who may publish and subscribe what on NATS: one user per service, one per outside subscriber.

Each outside subscriber has its own user (``subscriber_accounts``: the grants table): it reads
the streams granted to it through durable consumers bearing its own name, and nothing else. The
shared read-only ``outside`` user remains for the demo and the auditors' tools.

A service may publish only its own events (``ccc.<context>.>``), the dead letters of its own
consumers (``ccc.deadletter.<consumer>.>``) and the JetStream API calls its kernel makes: create
and update its own stream; create (never update) a stream it reads or the dead-letter stream
when it is missing, with the one configuration of ``streams``; its own durable consumers; it
subscribes only to its own reply inbox (``_INBOX_<user>.>``, set with nats-py's
``inbox_prefix``, so nobody reads another user's replies or pull deliveries).

Consumers: a consumer's name travels in the API subject only on the named subjects
(``CONSUMER.CREATE.<stream>.<name>[.<filter>]``, ``CONSUMER.DURABLE.CREATE.<stream>.<name>``);
the legacy ``CONSUMER.CREATE.<stream>`` carries it in the body, where a permission cannot see
it, so nobody is allowed that subject. NATS permissions match whole tokens only, so a name
prefix cannot be written as a subject: an outside user may name any consumer except the ones
the table gives to someone else (every durable of every service is denied to it); its tools
name theirs ``<user>-...`` (``consumer_name``).

The dead-letter stream belongs to the ``operator`` user (``ccc-audit deadletters``): it alone
updates, purges and reads it, and asks a service to re-drive a letter on ``ccc.redrive.<consumer>``;
the services only append their letters (and create the stream when it is missing).

The same table renders the embedded server's config (``EmbeddedNats(secure=True)``: bcrypt
hashes in ``nats.conf``, the passwords in ``credentials.json`` beside it, both 0600) and
``deploy/nats/accounts.conf`` for compose (bcrypt hashes read from nats-server's environment:
``$CCC_NATS_<USER>_PASSWORD_HASH``; the services get the passwords). Refusals are tested on a
real server (``shared/tests/test_nats_refusals.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ccc_shared.messaging.redrive import redrive_consumer
from ccc_shared.messaging.streams import (
    DEADLETTER_PREFIX,
    DEADLETTER_STREAM,
    REDRIVE_PREFIX,
    SERVICE_CONTEXTS,
    context_subjects,
    stream_name,
)

if TYPE_CHECKING:
    from ccc_shared.runtime.subscriber_accounts import SubscriberAccount

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
OPERATOR = "operator"  # owns CCC_DEADLETTER: lists, re-drives, purges (ccc-audit deadletters)


def consumer_name(user: str, suffix: str) -> str:
    """A consumer name under a user's own prefix (``outside-<suffix>``)."""
    return f"{user}-{suffix}"


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
    """The environment variable holding a user's password in compose (the client's side)."""
    return f"CCC_NATS_{user.upper().replace('-', '_')}_PASSWORD"


def password_hash_variable(user: str) -> str:
    """The variable holding the bcrypt hash of a user's password (nats-server's side)."""
    return f"{password_variable(user)}_HASH"


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
    # the operator's stream: append letters, create it when missing, take re-drive requests
    allow += _stream_api(DEADLETTER_STREAM, "INFO", "CREATE")
    allow += _durable_api(DEADLETTER_STREAM, redrive_consumer(user.context))
    for context, durables in user.consumes.items():
        consumed = stream_name(context)
        # the kernel creates a stream it reads when its publisher has not started yet (the one
        # config of ``streams``), never updates it; MSG.GET reads a letter's original to re-drive
        allow += _stream_api(consumed, "INFO", "CREATE", "MSG.GET")
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
        allow += [f"{API}.DIRECT.GET.{stream}", f"{API}.DIRECT.GET.{stream}.>"]
        allow += _named_consumers_api(stream)
    publish = {"allow": _unique(allow), "deny": _others_durables(services)}
    subscribe = [f"{inbox_prefix(user.name)}.>"]
    subscribe += [context_subjects(context) for context in user.contexts]
    return {"publish": publish, "subscribe": {"allow": subscribe}}


def subscriber_permissions(name: str, contexts: Iterable[str]) -> dict[str, Any]:
    """An outside system's own account: read its granted streams through consumers bearing its
    name (one per stream), on its own inbox; no other consumer, stream or subject."""
    allow = [f"{API}.INFO"]
    for context in contexts:
        stream = stream_name(context)
        allow += _stream_api(stream, "INFO", "MSG.GET")
        allow += [f"{API}.DIRECT.GET.{stream}", f"{API}.DIRECT.GET.{stream}.>"]
        allow += _durable_api(stream, name)
        allow.append(f"{API}.CONSUMER.DELETE.{stream}.{name}")
    return {
        "publish": {"allow": _unique(allow)},
        "subscribe": {"allow": [f"{inbox_prefix(name)}.>"]},
    }


def operator_permissions(services: Iterable[ServiceUser]) -> dict[str, Any]:
    """The dead-letter stream's owner: keeps it, reads it and asks services to re-drive."""
    services = tuple(services)
    allow = [f"{API}.INFO", f"{API}.STREAM.NAMES", f"{API}.STREAM.LIST", f"{REDRIVE_PREFIX}.>"]
    allow += _stream_api(DEADLETTER_STREAM, "INFO", "CREATE", "UPDATE", "PURGE", "MSG.GET")
    allow += [f"{API}.DIRECT.GET.{DEADLETTER_STREAM}", f"{API}.DIRECT.GET.{DEADLETTER_STREAM}.>"]
    allow += _named_consumers_api(DEADLETTER_STREAM)
    return {
        "publish": {"allow": _unique(allow), "deny": _others_durables(services)},
        "subscribe": {"allow": [f"{inbox_prefix(OPERATOR)}.>"]},
    }


def _named_consumers_api(stream: str) -> list[str]:
    """Create and use consumers whose name is in the subject (never the legacy nameless create)."""
    return [
        f"{API}.CONSUMER.CREATE.{stream}.*",
        f"{API}.CONSUMER.CREATE.{stream}.*.>",
        f"{API}.CONSUMER.DURABLE.CREATE.{stream}.*",
        f"{API}.CONSUMER.INFO.{stream}.*",
        f"{API}.CONSUMER.DELETE.{stream}.*",
        f"{API}.CONSUMER.NAMES.{stream}",
        f"{API}.CONSUMER.LIST.{stream}",
        f"{API}.CONSUMER.MSG.NEXT.{stream}.*",
        f"$JS.ACK.{stream}.>",
    ]


def _others_durables(services: Iterable[ServiceUser]) -> list[str]:
    """Every API subject naming a service's durable: theirs alone, whoever else asks."""
    durables = {d for service in services for d in service.durables}
    durables |= {redrive_consumer(service.context) for service in services}
    deny: list[str] = []
    for durable in sorted(durables):
        deny += [
            f"{API}.CONSUMER.*.*.{durable}",
            f"{API}.CONSUMER.*.*.{durable}.>",
            f"{API}.CONSUMER.DURABLE.CREATE.*.{durable}",
            f"{API}.CONSUMER.MSG.NEXT.*.{durable}",
            f"$JS.ACK.*.{durable}.>",
        ]
    return deny


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
    subscribers: Iterable[SubscriberAccount] = (),
) -> dict[str, Any]:
    """The ``accounts`` block: one JetStream account holding every user and its permissions.

    Subscribers' passwords are their bcrypt hashes from the grants table."""
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
    users += [
        {
            "user": account.name,
            "password": account.password_hash,
            "permissions": subscriber_permissions(account.name, account.contexts),
        }
        for account in subscribers
    ]
    users.append(
        {
            "user": OPERATOR,
            "password": passwords[OPERATOR],
            "permissions": operator_permissions(services),
        }
    )
    return {"accounts": {ACCOUNT: {"jetstream": "enabled", "users": users}}}


def all_user_names(
    services: Iterable[ServiceUser] = SERVICE_USERS,
    readers: Iterable[ReadOnlyUser] = READ_ONLY_USERS,
) -> list[str]:
    """Every bus user the config defines."""
    return [s.name for s in services] + [r.name for r in readers] + [OPERATOR]


def main() -> int:
    """Print ``deploy/nats/accounts.conf`` (regenerate it when the users above change).

    Run from the repository root: the subscribers come from ``deploy/nats/subscribers.toml``.
    """
    from ccc_shared.runtime.nats_config import compose_accounts_config  # renders this table
    from ccc_shared.runtime.subscriber_accounts import DEFAULT_TABLE

    print(compose_accounts_config(DEFAULT_TABLE), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
