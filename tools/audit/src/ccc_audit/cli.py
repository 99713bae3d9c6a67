"""``ccc-audit``: timelines from the streams, state as of a time, rebuild, verify, export, AsyncAPI.

Read-only except ``rebuild`` (which writes read models, never events) and ``asyncapi`` (which
writes the document); ``serve`` runs the read-only HTTP app (timeline, state, verify, AsyncAPI).
Exit status 0 when all is well, 1 when ``verify`` or ``asyncapi --check`` finds a problem, 2 for
bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import nats
import uvicorn
from nats.aio.client import Client as NatsClient
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ccc_audit import asyncapi, deadletters
from ccc_audit.http import as_aware
from ccc_audit.rebuild import events_to_replay, rebuild
from ccc_audit.serve import AuditSettings, auditors_app
from ccc_audit.services import SERVICES, open_service
from ccc_audit.state import state_as_of
from ccc_audit.streams import EVENT_STREAMS, json_line, read_stream
from ccc_audit.timeline import KINDS, TABLE_COLUMNS, Kind, Subject, json_lines, table_rows, timeline
from ccc_audit.verify import Verification, verify_service
from ccc_shared.runtime.auth import authenticator_for
from ccc_shared.runtime.settings import sqlite_url

DEFAULT_NATS = "nats://127.0.0.1:4222"


def database_url(text: str) -> str:
    """A SQLAlchemy URL, or a SQLite file path made into one."""
    return text if "://" in text else sqlite_url(Path(text).resolve())


def nats_options(command: argparse.ArgumentParser, *, required: bool = True) -> None:
    """How to reach NATS: URL and, on a secured server, the read-only user (``outside``)."""
    environ = os.environ
    url = environ.get("NATS_URL", DEFAULT_NATS) if required else None
    command.add_argument("--nats", default=url, help="NATS URL (env NATS_URL)")
    command.add_argument("--nats-user", default=environ.get("NATS_USER"), help="env NATS_USER")
    command.add_argument("--nats-password", default=environ.get("NATS_PASSWORD"))
    command.add_argument("--nats-creds", default=environ.get("NATS_CREDS"), help="creds file")
    command.add_argument(
        "--inbox-prefix", default=environ.get("NATS_INBOX_PREFIX"),
        help="reply prefix (default _INBOX_<user> with a user)",
    )  # fmt: skip
    command.add_argument(
        "--nats-data", type=Path, metavar="DIR",
        help="the embedded server's data folder (var/nats): read the user's password (user"
        " outside unless named) from its credentials.json",
    )  # fmt: skip


async def connect(args: argparse.Namespace) -> NatsClient:
    """Connect as the options say (user, password or creds file, inbox prefix)."""
    options: dict[str, Any] = {"servers": [u.strip() for u in args.nats.split(",")]}
    if args.nats_creds:
        options["user_credentials"] = args.nats_creds
    user, password = args.nats_user, args.nats_password
    if args.nats_data is not None:
        user = user or "outside"
        credentials = json.loads((args.nats_data / "credentials.json").read_text())
        password = password or credentials[user]
    if user:
        options["user"] = user
        if password:
            options["password"] = password
    prefix = args.inbox_prefix or (f"_INBOX_{user}" if user else None)
    if prefix:
        options["inbox_prefix"] = prefix
    return await nats.connect(**options)


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main = argparse.ArgumentParser(prog="ccc-audit", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    services = ", ".join(SERVICES)

    timeline_ = commands.add_parser("timeline", help="events of an enterprise, certificate or case")
    about = timeline_.add_mutually_exclusive_group(required=True)
    about.add_argument("--enterprise", metavar="CREDIT_CODE")
    about.add_argument("--certificate", metavar="NUMBER")
    about.add_argument("--case", metavar="NUMBER")
    nats_options(timeline_)
    timeline_.add_argument("--format", choices=("table", "jsonl"), default="table")
    timeline_.add_argument(
        "--no-causes", action="store_true", help="leave out events caused by the subject's events"
    )

    state = commands.add_parser("state", help="an aggregate's state as of a time")
    state.add_argument("--service", required=True, help=services)
    state.add_argument("--database", required=True, type=database_url, help="URL or SQLite file")
    state.add_argument("--aggregate", required=True, help="aggregate type, e.g. certificate")
    state.add_argument("--id", required=True, dest="aggregate_id")
    state.add_argument(
        "--as-of", type=datetime.fromisoformat, help="ISO time; without a zone, the bureau's"
    )

    rebuild_ = commands.add_parser("rebuild", help="rebuild a service's projections from events")
    rebuild_.add_argument("--service", required=True, help=services)
    rebuild_.add_argument("--database", required=True, type=database_url)
    rebuild_.add_argument(
        "--truncate", action="append", default=[], metavar="TABLE",
        help="empty this read-model table first, in the rebuild's transaction (repeatable);"
        " name only tables made from the service's own events",
    )  # fmt: skip

    verify = commands.add_parser("verify", help="hash chains, and store against stream")
    verify.add_argument("--service", action="append", required=True, help=services)
    verify.add_argument("--database", action="append", required=True, type=database_url)
    nats_options(verify, required=False)  # with --nats, each store is compared with its stream

    export = commands.add_parser("export", help="a stream's envelopes as JSON Lines")
    export.add_argument("--stream", required=True, choices=EVENT_STREAMS)
    export.add_argument("--subject", help="subject filter, e.g. ccc.registry.certificate.>")
    nats_options(export)

    serve = commands.add_parser("serve", help="the auditors' read-only HTTP app")
    serve.add_argument("--service", action="append", default=[], help=services)
    serve.add_argument("--database", action="append", default=[], type=database_url)
    nats_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="default 8105 (env AUDIT_HTTP_PORT)")

    deadletters.add_command(commands, nats_options)

    document = commands.add_parser("asyncapi", help="write the AsyncAPI document")
    document.add_argument("--output", type=Path, default=asyncapi.DOCUMENT)
    document.add_argument("--check", action="store_true", help="only check that it is current")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        return run(args)
    except (LookupError, ValueError) as error:  # unknown service, aggregate, table; refusals
        print(f"ccc-audit {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run(args: argparse.Namespace) -> int:
    """Run the parsed command."""
    match args.command:
        case "timeline":
            return asyncio.run(print_timeline(args))
        case "state":
            return print_state(args)
        case "rebuild":
            return run_rebuild(args)
        case "verify":
            return asyncio.run(run_verify(args))
        case "export":
            return asyncio.run(run_export(args))
        case "serve":
            return run_serve(args)
        case "deadletters":
            return asyncio.run(deadletters.run(args, connect))
        case _:
            return run_asyncapi(args)


async def print_timeline(args: argparse.Namespace) -> int:
    """Print the timeline as a table or JSON Lines."""
    kind: Kind = next(k for k in KINDS if getattr(args, k))
    nc = await connect(args)
    try:
        subject = Subject(kind, getattr(args, kind))
        found = await timeline(nc.jetstream(), subject, follow_causes=not args.no_causes)
    finally:
        await nc.close()
    if args.format == "jsonl":
        for line in json_lines(found):
            print(line)
        return 0
    table = Table(*TABLE_COLUMNS, title=f"{kind} {getattr(args, kind)}: {len(found)} events")
    for row in table_rows(found):
        table.add_row(*row)
    Console(width=max(Console().width, 180)).print(table)
    return 0


def print_state(args: argparse.Namespace) -> int:
    """Print an aggregate's state as of a time, as JSON."""
    service = open_service(args.service, args.database)
    try:
        as_of = as_aware(args.as_of) if args.as_of else None
        answer = state_as_of(service, args.aggregate, args.aggregate_id, as_of)
    finally:
        service.close()
    print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    """Rebuild with a progress bar on stderr, then print the rate."""
    service = open_service(args.service, args.database)
    console = Console(stderr=True)
    try:
        service.migrate()
        total = events_to_replay(service)
        columns = (TextColumn("rebuilding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("events", total=total)
            report = rebuild(
                service,
                truncate=args.truncate,
                progress=lambda done: bar.update(task, completed=done),
            )
    finally:
        service.close()
    streams = ", ".join(f"{count} {name}" for name, count in report.streams.items()) or "none"
    print(
        f"{service.name}: replayed {report.events} events ({streams}) in {report.seconds:.2f} s:"
        f" {report.events_per_second:,.0f} events/s"
        + (f"; truncated {', '.join(report.truncated)}" if report.truncated else "")
    )
    return 0


async def run_verify(args: argparse.Namespace) -> int:
    """Verify each (service, database) pair; status 1 if any is not intact or disagrees."""
    if len(args.service) != len(args.database):
        print("give one --database per --service", file=sys.stderr)
        return 2
    nc = await connect(args) if args.nats else None
    results: list[Verification] = []
    try:
        for name, url in zip(args.service, args.database, strict=True):
            service = open_service(name, url)
            try:
                results.append(await verify_service(service, nc.jetstream() if nc else None))
            finally:
                service.close()
    finally:
        if nc is not None:
            await nc.close()
    for result in results:
        print("\n".join(result.lines()))
    return 0 if all(result.ok for result in results) else 1


async def run_export(args: argparse.Namespace) -> int:
    """Write the stream's envelopes to stdout, one JSON object per line."""
    nc = await connect(args)
    try:
        async for message in read_stream(nc.jetstream(), args.stream, args.subject):
            if message.problem:  # reported, not exported: it is no event
                print(f"{message.stream} sequence {message.sequence}: {message.problem}",
                      file=sys.stderr)  # fmt: skip
                continue
            sys.stdout.write(json_line(message) + "\n")
    finally:
        await nc.close()
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Serve the auditors' app until interrupted."""
    if len(args.service) != len(args.database):
        print("give one --database per --service", file=sys.stderr)
        return 2
    settings = AuditSettings()
    app = auditors_app(
        dict(zip(args.service, args.database, strict=True)),
        lambda: connect(args),
        authenticator_for(settings),  # no AUTH_JWT_KEY nor AUTH_USERS_FILE: refused (status 2)
    )
    uvicorn.run(app, host=args.host, port=args.port or settings.http_port, log_level="info")
    return 0


def run_asyncapi(args: argparse.Namespace) -> int:
    """Write the AsyncAPI document, or check it is current."""
    if args.check:
        if asyncapi.is_current(args.output):
            print(f"{args.output} is current")
            return 0
        print(f"{args.output} is out of date: run `{asyncapi.REGENERATE}`", file=sys.stderr)
        return 1
    print(f"wrote {asyncapi.write(args.output)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
