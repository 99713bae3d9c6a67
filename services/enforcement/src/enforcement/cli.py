"""``ccc-cnca-report``: print the CNCA report of a closed penalty case, as JSON, from the store.

Reads the enforcement service's database (``ENFORCEMENT_DATABASE_URL`` / ``DATABASE_URL``, or
``--database-url``); it records nothing (``POST /cases/{number}/cnca-report`` records the
sending).
"""

from __future__ import annotations

import argparse
import sys

from ccc_shared.domain import DomainError
from ccc_shared.handling import UnknownAggregateError
from ccc_shared.runtime.build import open_application
from enforcement.application.app import Enforcement
from enforcement.application.reporting import report_payload
from enforcement.main import service
from enforcement.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Print one case's CNCA report; exit 1 if the case owes none, 2 if it is unknown."""
    parser = argparse.ArgumentParser(prog="ccc-cnca-report", description=__doc__)
    parser.add_argument("case_number", help="e.g. CCC-2026-00042")
    parser.add_argument("--description", help="the officer's case description")
    parser.add_argument("--database-url", help="the enforcement database (default: settings)")
    args = parser.parse_args(argv)
    settings = Settings(**({"database_url": args.database_url} if args.database_url else {}))
    app = open_application(service(settings), settings)
    try:
        assert isinstance(app, Enforcement)
        report = report_payload(app, args.case_number, args.description)
    except UnknownAggregateError as error:
        print(error, file=sys.stderr)
        return 2
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        app.store.close()
    print(report.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
