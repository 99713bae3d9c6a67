"""A service process for the shutdown test: a kernel subscribed to a producer's events.

python kernel_worker.py --nats URL --db URL --context CTX [--sleep S] [--batch N]
prints "HANDLING" when its handler first runs; stops on SIGTERM the way every service does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from messaging_support import create_projection, projection_handler, sample_registry

from ccc_contracts.envelope import RecordedEvent
from ccc_shared.messaging import Handler
from ccc_shared.runtime.app import build_service_app
from ccc_shared.runtime.kernel import ServiceKernel, Subscription
from ccc_shared.runtime.service import run_service
from ccc_shared.runtime.settings import ServiceSettings


def announcing(handler: Handler) -> Handler:
    """Print HANDLING before the first event is handled."""
    said = False

    def handle(event: RecordedEvent, conn: object) -> None:
        nonlocal said
        if not said:
            print("HANDLING", flush=True)
            said = True
        handler(event, conn)  # type: ignore[arg-type]

    return handle  # type: ignore[return-value]


def main() -> int:
    """Run the consumer service until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--nats", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--context", required=True)
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    settings = ServiceSettings(
        service_name="consumer", nats_url=args.nats, database_url=args.db, http_port=0,
        data_dir=Path(args.db.removeprefix("sqlite:///")).parent, log_format="json",
    )  # fmt: skip
    subscription = Subscription(
        name="consumer-projection",
        context=args.context,
        subjects=[f"ccc.{args.context}.>"],
        handler=announcing(projection_handler(args.sleep)),
        batch_size=args.batch,
    )
    kernel = ServiceKernel(
        settings, context="consumer", registry=sample_registry,
        subscriptions=[subscription], consumed=sample_registry,
    )  # fmt: skip
    create_projection(kernel.store.engine)
    return run_service(lambda s: build_service_app(s, lifespan=kernel.lifespan), settings)


if __name__ == "__main__":
    sys.exit(main())
