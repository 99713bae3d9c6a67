"""An outside subscriber to CCC Supervision events: a durable pull consumer on one stream.

Needs only nats-py (``pip install nats-py``). It reads one stream (default CCC_REGISTRY),
filtered by subject (default: every certificate suspension), and acknowledges each event
after handling it, so a restart resumes after the last acknowledged one. Run it with:

    python docs/examples/subscriber.py --nats nats://127.0.0.1:4222 \
        --durable cb-cccf-suspensions \
        --subject 'ccc.registry.certificate.*.CertificateSuspended'

On a secured bus, connect as the read-only user you were given (``--user outside``, password
in ``NATS_PASSWORD``); replies then come under your own inbox prefix ``_INBOX_<user>``.
``--stop-when-idle SECONDS`` ends it once nothing arrives for that long (for scripts and tests).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from typing import Any

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

seen: set[str] = set()  # a real subscriber keeps handled event ids in its own database


def handle(event: dict[str, Any]) -> None:
    """Do the subscriber's work for one event; here, print one line about it."""
    data = event["data"]
    print(
        event["occurred_at"],
        event["event_type"],
        f"v{event['schema_version']}",
        data.get("certificate_number", event["aggregate_id"]),
        data.get("reason_code", ""),
        f"by {event['actor']['role']}:{event['actor']['id']}",
        flush=True,
    )


async def subscribe(
    url: str,
    stream: str,
    durable: str,
    subject: str,
    stop_when_idle: float | None,
    user: str | None = None,
    password: str | None = None,
) -> int:
    """Fetch, handle and acknowledge events until stopped; returns how many were handled."""
    secured: dict[str, Any] = {}
    if user:  # the bus lets each user read replies only under its own inbox prefix
        secured = {"user": user, "password": password, "inbox_prefix": f"_INBOX_{user}"}
    nc = await nats.connect(url, **secured)
    js = nc.jetstream()
    config = ConsumerConfig(
        durable_name=durable,
        filter_subject=subject,
        ack_policy=AckPolicy.EXPLICIT,  # unacknowledged events come again...
        ack_wait=30,
        max_deliver=5,  # ...at most five times
        deliver_policy=DeliverPolicy.ALL,  # a new consumer starts at the stream's first event
    )
    consumer = await js.pull_subscribe(subject, durable=durable, stream=stream, config=config)
    handled = 0
    idle_since = asyncio.get_running_loop().time()
    try:
        while True:
            try:
                messages = await consumer.fetch(batch=100, timeout=1)
            except TimeoutError:  # nothing came within the second (nats-py raises a subclass)
                idle = asyncio.get_running_loop().time() - idle_since
                if stop_when_idle is not None and idle >= stop_when_idle:
                    return handled
                continue
            for message in messages:
                event = json.loads(message.data)
                if event["event_id"] not in seen:  # redelivery: handle each event once
                    handle(event)
                    seen.add(event["event_id"])
                    handled += 1
                await message.ack()
            idle_since = asyncio.get_running_loop().time()
    finally:
        await nc.close()


def main() -> None:
    """Parse the options and subscribe."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--nats", default="nats://127.0.0.1:4222")
    options.add_argument("--stream", default="CCC_REGISTRY")
    options.add_argument("--durable", default="example-subscriber")
    options.add_argument("--subject", default="ccc.registry.certificate.*.CertificateSuspended")
    options.add_argument("--stop-when-idle", type=float, default=None, metavar="SECONDS")
    options.add_argument("--user", default=os.environ.get("NATS_USER"), help="env NATS_USER")
    args = options.parse_args()
    password = os.environ.get("NATS_PASSWORD")
    subscription = (args.nats, args.stream, args.durable, args.subject, args.stop_when_idle)
    asyncio.run(subscribe(*subscription, user=args.user, password=password))


if __name__ == "__main__":
    main()
