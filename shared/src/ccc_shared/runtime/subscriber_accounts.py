"""Outside systems' bus accounts: one NATS user per subscriber, granted the streams it may read.

The grants are one table, a TOML file (``deploy/nats/subscribers.toml`` for compose): each
subscriber's name, the contexts whose streams it reads, the bcrypt hash of its password, and
who granted it when. ``nats_permissions`` renders every subscriber in it into the server config
(compose's ``accounts.conf`` and the embedded ``nats.conf``): read its granted streams, create
and use consumers bearing its own name only, receive on its own inbox, nothing else.

The bureau's administrator runs ``ccc-admin subscribers add NAME --grant registry ...`` (prints
the password once), ``list`` and ``revoke NAME``; each rewrites the table and ``accounts.conf``
beside it (compose), or with ``--embedded-dir var/nats`` the embedded server's ``nats.conf``
(``make up`` keeps its table in ``var/subscribers.toml``). A running server applies the change
on a reload (``docker compose kill -s HUP nats-1 nats-2 nats-3``, or ``--reload-pid`` here); a
revoked subscriber's connections are closed by the reload.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ccc_contracts.subjects import SERVICE_CONTEXTS, stream_name

DEFAULT_TABLE = Path("deploy/nats/subscribers.toml")
NAME = re.compile(r"^[a-z][a-z0-9]{1,30}(-[a-z0-9]{1,30})?$")
HEADER = (
    "# Outside systems subscribing to CCC Supervision's events, and the streams each may read.\n"
    "# Written by `ccc-admin subscribers add/revoke`; accounts.conf beside it is generated from\n"
    "# it (and the embedded server's nats.conf). Passwords are kept only as bcrypt hashes.\n"
)


class AccountError(ValueError):
    """A subscriber account that cannot be created or found as asked."""


@dataclass(frozen=True)
class SubscriberAccount:
    """One outside system: its NATS user (also its consumers' name) and its grants."""

    name: str
    contexts: tuple[str, ...]
    password_hash: str
    granted_by: str
    granted_at: str
    note: str = ""

    @property
    def streams(self) -> list[str]:
        """The streams it may read."""
        return [stream_name(context) for context in self.contexts]


def reserved_names() -> set[str]:
    """Names a subscriber may not take: the bus's own users and the services' durables."""
    from ccc_shared.runtime.nats_permissions import OPERATOR, READ_ONLY_USERS, SERVICE_USERS

    names = {OPERATOR, *(reader.name for reader in READ_ONLY_USERS)}
    for service in SERVICE_USERS:
        names |= {service.name, *service.durables}
    return names


def load(path: Path) -> list[SubscriberAccount]:
    """The accounts in a table (none if the file is missing)."""
    if not path.is_file():
        return []
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        SubscriberAccount(
            name=name,
            contexts=tuple(entry["contexts"]),
            password_hash=entry["password_hash"],
            granted_by=entry.get("granted_by", ""),
            granted_at=entry.get("granted_at", ""),
            note=entry.get("note", ""),
        )
        for name, entry in sorted(table.get("subscribers", {}).items())
    ]


def save(path: Path, accounts: Iterable[SubscriberAccount]) -> None:
    """Write the table (TOML; every value a JSON string or list, which TOML reads the same)."""
    lines = [HEADER]
    for account in sorted(accounts, key=lambda a: a.name):
        lines += [
            f"\n[subscribers.{account.name}]\n",
            f"contexts = {json.dumps(list(account.contexts))}\n",
            f"password_hash = {json.dumps(account.password_hash)}\n",
            f"granted_by = {json.dumps(account.granted_by, ensure_ascii=False)}\n",
            f"granted_at = {json.dumps(account.granted_at)}\n",
            f"note = {json.dumps(account.note, ensure_ascii=False)}\n",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")


def add(path: Path, name: str, contexts: Sequence[str], *, granted_by: str, note: str = "") -> str:
    """Create an account granted ``contexts``' streams; return its password (shown once)."""
    from ccc_shared.runtime.nats_config import password_hash

    if not NAME.match(name):
        raise AccountError(
            f"subscriber name {name!r} must be lowercase letters and digits, one '-' at most,"
            " starting with a letter (it names the NATS user and its consumers)"
        )
    if name in reserved_names():
        raise AccountError(f"{name!r} is a name the bus already uses for its own users")
    unknown = sorted(set(contexts) - set(SERVICE_CONTEXTS))
    if not contexts or unknown:
        raise AccountError(
            f"grant one or more of {', '.join(SERVICE_CONTEXTS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    accounts = load(path)
    if any(account.name == name for account in accounts):
        raise AccountError(f"subscriber {name!r} exists; revoke it first to change its grants")
    password = secrets.token_urlsafe(24)
    accounts.append(
        SubscriberAccount(
            name=name,
            contexts=tuple(dict.fromkeys(contexts)),
            password_hash=password_hash(password),
            granted_by=granted_by,
            granted_at=datetime.now(UTC).isoformat(timespec="seconds"),
            note=note,
        )
    )
    save(path, accounts)
    return password


def revoke(path: Path, name: str) -> SubscriberAccount:
    """Remove an account from the table; return what it was."""
    accounts = load(path)
    found = next((account for account in accounts if account.name == name), None)
    if found is None:
        raise AccountError(f"no subscriber {name!r} in {path}")
    save(path, [account for account in accounts if account.name != name])
    return found


def write_compose_config(table: Path) -> Path:
    """Regenerate ``accounts.conf`` beside the table (compose mounts it into nats-server)."""
    from ccc_shared.runtime.nats_config import compose_accounts_config

    target = table.parent / "accounts.conf"
    target.write_text(compose_accounts_config(table), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``ccc-admin subscribers add|list|revoke``: the bureau's administrator's bus accounts."""
    parser = argparse.ArgumentParser(prog="ccc-admin", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="area", required=True)
    subscribers = commands.add_parser("subscribers", help="outside systems' NATS accounts")
    subscribers.add_argument("--table", type=Path, default=DEFAULT_TABLE)
    subscribers.add_argument(
        "--embedded-dir", type=Path, help="also rewrite this embedded server's nats.conf"
    )
    subscribers.add_argument(
        "--reload-pid", type=int, help="signal this nats-server to reload its config"
    )
    verbs = subscribers.add_subparsers(dest="verb", required=True)
    add_verb = verbs.add_parser("add", help="create an account; prints its password once")
    add_verb.add_argument("name")
    add_verb.add_argument(
        "--grant", action="append", required=True, choices=SERVICE_CONTEXTS,
        help="a context whose stream it may read (repeat)",
    )  # fmt: skip
    add_verb.add_argument("--by", default=os.environ.get("USER", "admin"), help="who grants it")
    add_verb.add_argument("--note", default="", help="who the system is, whom to call")
    verbs.add_parser("list", help="the accounts and their streams")
    revoke_verb = verbs.add_parser("revoke", help="remove an account")
    revoke_verb.add_argument("name")
    arguments = parser.parse_args(argv)
    table: Path = arguments.table
    try:
        if arguments.verb == "add":
            password = add(
                table, arguments.name, arguments.grant, granted_by=arguments.by,
                note=arguments.note,
            )  # fmt: skip
            print(f"subscriber {arguments.name}: user {arguments.name}, password {password}")
            print(f"consumers must be named {arguments.name}; inbox prefix _INBOX_{arguments.name}")
        elif arguments.verb == "revoke":
            revoke(table, arguments.name)
            print(f"revoked {arguments.name}")
        else:
            for account in load(table):
                print(
                    f"{account.name}\t{','.join(account.streams)}\t{account.granted_by}"
                    f"\t{account.granted_at}\t{account.note}"
                )
            return 0
    except AccountError as error:
        print(f"ccc-admin: {error}", file=sys.stderr)
        return 2
    if arguments.embedded_dir:  # the embedded server's table (make up: var/subscribers.toml)
        from ccc_shared.runtime.nats_config import write_embedded_config

        print(f"wrote {table} and {write_embedded_config(arguments.embedded_dir, table)}")
    else:
        print(f"wrote {table} and {write_compose_config(table)}")
    if arguments.reload_pid:
        os.kill(arguments.reload_pid, signal.SIGHUP)
        print(f"nats-server {arguments.reload_pid} reloads its config")
    else:
        print("reload nats-server to apply: docker compose kill -s HUP nats-1 nats-2 nats-3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
