"""``ccc-registry-import``: import a certificate change feed straight into the registry's store."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ccc_shared.eventstore.envelope import Actor, EventMetadata
from ccc_shared.runtime.build import migrate, open_application
from enterprise_registry.application.feed import import_feed
from enterprise_registry.application.feed_rows import COLUMNS, FeedFormat, FeedFormatError
from enterprise_registry.main import service
from enterprise_registry.settings import Settings

DESCRIPTION = f"""\
Import a CNCA / certification-body certificate feed (CSV with a header row, or JSON list of
objects; columns: {", ".join(COLUMNS)}) into the enterprise-registry's store. Only what differs
from the register is changed; re-importing a file appends nothing; bad rows are reported and
skipped. The events go to the store's outbox: the running enterprise-registry service's relay
publishes them to NATS later (this command does not connect to NATS). The actor is
cli:<os user>, role system.
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="ccc-registry-import", description=DESCRIPTION)
    parser.add_argument("file", type=Path, help="the feed file")
    parser.add_argument(
        "--format", choices=["csv", "json"], help="default: from the file suffix (.json or csv)"
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the registry's store (default: REGISTRY_DATABASE_URL / settings)",
    )
    parser.add_argument("--every", type=int, default=1000, help="progress line every N rows")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the import; exit 0 if every row went in, 1 if some were bad, 2 if the file was."""
    args = parse_args(argv)
    feed_format: FeedFormat = args.format or ("json" if args.file.suffix == ".json" else "csv")
    settings = Settings() if args.database_url is None else Settings(database_url=args.database_url)
    declared = service(settings)
    app = open_application(declared, settings)
    migrate(declared, app.store)
    metadata = EventMetadata(actor=Actor(id=f"cli:{getpass.getuser()}", role="system"))
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if done % max(args.every, 1) == 0 or done == total:
            print(f"{done}/{total} rows", file=sys.stderr, flush=True)

    try:
        report = import_feed(app, args.file.read_bytes(), feed_format, metadata, progress=progress)
    except FeedFormatError as error:
        print(f"ccc-registry-import: {error}", file=sys.stderr)
        return 2
    finally:
        app.store.close()
    elapsed = max(time.monotonic() - started, 1e-6)
    print(f"{report.rows_read} rows in {elapsed:.1f} s ({report.rows_read / elapsed:.0f} rows/s)",
          file=sys.stderr)  # fmt: skip
    errors = [{"row": e.row, "field": e.field, "reason": e.reason} for e in report.errors]
    body = {**vars(report), "errors": errors}
    print(json.dumps(body, ensure_ascii=False, indent=2))
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
