"""A relay or a subscriber in its own process, for the crash tests (they SIGKILL it).

python messaging_worker.py relay --nats URL --db URL --context CTX [--window S] [--batch N]
    publishes one batch, prints "PUBLISHED <n>" and hangs before marking it published.
python messaging_worker.py subscribe --nats URL --db URL --stream S --context CTX --name N
    [--batch N] [--sleep S] [--ack-wait S] [--hang-after-commit K]
    runs the projection subscriber; prints "COMMITTED <k>" and hangs (before acking) after
    its K-th committed batch when asked to.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from messaging_support import (
    connect,
    create_projection,
    projection_handler,
    sample_registry,
)
from nats.aio.msg import Msg

from ccc_shared.eventstore.sql import SqlEventStore
from ccc_shared.messaging import OutboxRelay, SubscriptionRunner, event_stream
from ccc_shared.messaging.apply import Outcome


def say(line: str) -> None:
    """Tell the test process where we are."""
    print(line, flush=True)


class HangingRelay(OutboxRelay):
    """A relay that stops dead between publishing a batch and recording it."""

    async def _mark_published(self, positions: list[int]) -> None:
        say(f"PUBLISHED {len(positions)}")
        await asyncio.Event().wait()


class HangingRunner(SubscriptionRunner):
    """A runner that stops dead after its K-th commit, before settling the messages."""

    hang_after = 0

    async def _settle(self, messages: list[Msg], outcomes: list[Outcome]) -> None:
        if self.hang_after and self.metrics.batches + 1 >= self.hang_after:
            say(f"COMMITTED {self.metrics.batches + 1}")
            await asyncio.Event().wait()
        await super()._settle(messages, outcomes)


async def relay(args: argparse.Namespace) -> None:
    store = SqlEventStore(
        args.db, registry=sample_registry, source="producer", context=args.context
    )
    nc = await connect(args.nats)
    config = event_stream(args.context, duplicate_window=args.window)
    await HangingRelay(store, nc, config, batch_size=args.batch).publish_pending()


async def subscribe(args: argparse.Namespace) -> None:
    store = SqlEventStore(args.db, registry=sample_registry, source="consumer", context="consumer")
    create_projection(store.engine)
    nc = await connect(args.nats)
    runner = HangingRunner(
        store,
        nc.jetstream(),
        name=args.name,
        stream=args.stream,
        filter_subjects=[f"ccc.{args.context}.>"],
        registry=sample_registry,
        handler=projection_handler(args.sleep),
        batch_size=args.batch,
        ack_wait=args.ack_wait,
        backoff=(0.1,),
    )
    runner.hang_after = args.hang_after_commit
    await runner.start()
    say("READY")
    await runner.run()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["relay", "subscribe"])
    parser.add_argument("--nats", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--context", required=True)
    parser.add_argument("--stream", default="")
    parser.add_argument("--name", default="")
    parser.add_argument("--window", type=float, default=120.0)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--ack-wait", type=float, default=2.0)
    parser.add_argument("--hang-after-commit", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(relay(args) if args.mode == "relay" else subscribe(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
