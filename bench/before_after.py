"""Our store at another git revision beside the working tree, in one run: what a change bought.

``uv run python bench/before_after.py [REVISION]`` (default ``main``) checks the revision out
into a temporary git worktree, runs the store bench's own side (``bench/store.py``: appends of
1 and 100 events per command, decoded read-all; SQLite and PostgreSQL) from that tree and from
this one, alternately in fresh processes (best of two rounds each), and prints both with
the ratio. The revision's code
is put first on ``PYTHONPATH``, so the same virtual environment serves both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 2
MEASURE = """
import json, sys, tempfile
from bench.common import median_rate, postgres_url, scratch_postgres
from bench.store import AGGREGATES, OurSide, measure
rates = {}
with tempfile.TemporaryDirectory() as folder:
    side = OurSide(f"sqlite:///{folder}/ours.db", AGGREGATES)
    rates["SQLite"] = {k: median_rate(v) for k, v in measure(side).items()}
    side.close()
with scratch_postgres("bench_revision") as name:
    side = OurSide(postgres_url(name), AGGREGATES)
    rates["PostgreSQL"] = {k: median_rate(v) for k, v in measure(side).items()}
    # 8 writers at once, each on its own streams (one store, its pool): the lock's cost
    import threading, time
    sides = [side] + [OurSide.__new__(OurSide) for _ in range(7)]
    for index, other in enumerate(sides[1:], 1):
        other.store, other.sequence = side.store, 0
        other.streams = side.streams[index::8]
        other.versions = [side.versions[side.streams.index(s)] for s in other.streams]
    side.streams, side.versions = side.streams[0::8], side.versions[0::8]
    threads = [threading.Thread(target=s.append, args=(250, 1)) for s in sides]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rates["PostgreSQL"]["parallel"] = 8 * 250 / (time.perf_counter() - started)
    side.close()
print(json.dumps(rates))
"""
LABELS = {
    "append1": "append, 1 event/command",
    "append100": "append, 100 events/command",
    "read": "read-all decoded",
    "parallel": "append, 1 event/command, 8 writers at once",
}


def measure_tree(tree: Path) -> dict[str, dict[str, float]]:
    """The store bench's own side run from ``tree``'s code, in a fresh process."""
    packages = sorted(tree.glob("*/src")) + sorted(tree.glob("*/*/src"))  # shared, services
    path = [str(package) for package in packages] + [str(tree)]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE],
        cwd=tree,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    result: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    revision = sys.argv[1] if len(sys.argv) > 1 else "main"
    folder = Path(tempfile.mkdtemp(prefix="ccc-bench-before-"))
    tree = folder / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:  # alternating, best of ROUNDS each: on a shared machine the load moves between runs
        runs = [(measure_tree(tree), measure_tree(ROOT)) for _ in range(ROUNDS)]
        before, after = (
            {
                store: {
                    key: max(run[side][store][key] for run in runs)
                    for key in LABELS
                    if key in runs[0][side][store]
                }
                for store in runs[0][side]
            }
            for side in (0, 1)
        )
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True
        )
    print(f"| our store (events/s) | {revision} | this tree | this/{revision} |")
    print("| --- | ---: | ---: | ---: |")
    for store, rates in after.items():
        for key, label in LABELS.items():
            if key not in rates:
                continue
            old, new = before[store][key], rates[key]
            print(f"| {label} ({store}) | {old:,.0f} | {new:,.0f} | {new / old:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
