"""Run every benchmark part once and print one table (``make bench``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import readmodels, relay, runner, store, subscriber
    from bench.common import Row, payload_size, print_table

    started = time.perf_counter()
    print(f"bench event payload: {payload_size()} bytes of JSON; medians of 3", file=sys.stderr)
    rows: list[Row] = []
    rows += store.run()
    rows += relay.run()
    rows += runner.run()
    rows += readmodels.run()
    rows += subscriber.run()
    print_table(rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
