"""``ccc-audit deadletters``: list the dead letters by consumer and cause, re-drive chosen ones.

Runs as the bus user ``operator``, who owns CCC_DEADLETTER. ``list`` shows each letter with the
service and consumer that gave up on it, the cause, the original subject, stream and sequence,
and any re-drive asked for it (who, when). ``redrive`` asks the consumer's service to handle the
named letters again (``ccc_shared.messaging.redrive``): the request, with who and when, is kept
in the stream as the record, and the service's processed ids make the handling exactly once.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import nats.errors
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ccc_shared.messaging.deadletter import (
    CONSUMER,
    DELIVERY_COUNT,
    ORIGINAL_SEQUENCE,
    ORIGINAL_STREAM,
    ORIGINAL_SUBJECT,
    REASON,
)
from ccc_shared.messaging.redrive import (
    LETTER_SEQUENCE,
    REDRIVEN_AT,
    REDRIVEN_BY,
    asker,
    redrive_subject,
)
from ccc_shared.messaging.streams import DEADLETTER_PREFIX, DEADLETTER_STREAM, REDRIVE_PREFIX
from ccc_shared.runtime.nats_permissions import OPERATOR, SERVICE_USERS

Connect = Callable[[argparse.Namespace], Awaitable[NatsClient]]


@dataclass(frozen=True)
class Letter:
    """One dead letter as an operator needs it, with the re-drives asked for it."""

    sequence: int
    service: str
    consumer: str
    cause: str
    subject: str
    original_stream: str
    original_sequence: int
    deliveries: int
    redriven: tuple[str, ...] = ()  # "by at" of each request


def service_of(consumer: str) -> str:
    """The service running a consumer, from the permissions table ("?" if unknown)."""
    for user in SERVICE_USERS:
        if consumer in user.durables:
            return user.name
    return "?"


async def read_letters(js: JetStreamContext) -> list[Letter]:
    """Every letter in CCC_DEADLETTER, oldest first, with its re-drive requests."""
    try:
        info = await js.stream_info(DEADLETTER_STREAM)
    except NotFoundError:
        return []
    letters: dict[int, Letter] = {}
    asked: dict[int, list[str]] = {}
    for sequence in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
        try:
            message = await js.get_msg(DEADLETTER_STREAM, sequence)
        except NotFoundError:  # purged or deleted
            continue
        headers, subject = message.headers or {}, message.subject or ""
        if subject.startswith(f"{REDRIVE_PREFIX}."):
            letter = headers.get(LETTER_SEQUENCE, "")
            if letter.isdigit():
                by, at = asker(message.data or b"")
                asked.setdefault(int(letter), []).append(f"{by} {at}")
        elif subject.startswith(f"{DEADLETTER_PREFIX}."):
            consumer = headers.get(CONSUMER, "?")
            letters[sequence] = Letter(
                sequence=sequence, service=service_of(consumer), consumer=consumer,
                cause=headers.get(REASON, ""), subject=headers.get(ORIGINAL_SUBJECT, ""),
                original_stream=headers.get(ORIGINAL_STREAM, ""),
                original_sequence=int(headers.get(ORIGINAL_SEQUENCE, "0") or 0),
                deliveries=int(headers.get(DELIVERY_COUNT, "0") or 0),
            )  # fmt: skip
    return [
        Letter(**{**asdict(letter), "redriven": tuple(asked.get(sequence, ()))})
        for sequence, letter in letters.items()
    ]


async def ask_redrive(
    js: JetStreamContext, sequences: list[int], by: str, now: datetime | None = None
) -> list[str]:
    """Ask each letter's consumer to handle it again; one line per letter saying what was asked."""
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    lines = []
    for sequence in sequences:
        message = await js.get_msg(DEADLETTER_STREAM, sequence)
        headers = message.headers or {}
        if (
            not (message.subject or "").startswith(f"{DEADLETTER_PREFIX}.")
            or CONSUMER not in headers
        ):
            raise ValueError(f"{DEADLETTER_STREAM} sequence {sequence} is not a dead letter")
        consumer = headers[CONSUMER]
        request = {
            "Nats-Msg-Id": f"redrive:{sequence}:{uuid.uuid4()}",  # a retried publish: once
            LETTER_SEQUENCE: str(sequence),
            ORIGINAL_STREAM: headers.get(ORIGINAL_STREAM, ""),
            ORIGINAL_SEQUENCE: headers.get(ORIGINAL_SEQUENCE, ""),
        }
        body = json.dumps({REDRIVEN_BY: by, REDRIVEN_AT: at}, ensure_ascii=False).encode()
        await js.publish(redrive_subject(consumer), body, headers=request, stream=DEADLETTER_STREAM)
        lines.append(f"letter {sequence}: re-drive asked of {consumer} by {by} at {at}")
    return lines


async def take_requests(js: JetStreamContext) -> None:
    """Let a dead-letter stream made before re-drives existed keep the requests too (owner)."""
    info = await js.stream_info(DEADLETTER_STREAM)
    subjects = list(info.config.subjects or [])
    if f"{REDRIVE_PREFIX}.>" not in subjects:
        info.config.subjects = [*subjects, f"{REDRIVE_PREFIX}.>"]
        await js.update_stream(info.config)


def table(letters: list[Letter]) -> str:
    """The letters as a text table."""
    rows = [("seq", "service", "consumer", "cause", "subject", "original", "re-driven")]
    rows += [
        (str(letter.sequence), letter.service, letter.consumer, letter.cause[:60], letter.subject,
         f"{letter.original_stream}#{letter.original_sequence}", "; ".join(letter.redriven) or "-")
        for letter in letters
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)  # fmt: skip


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                nats_options: Callable[[argparse.ArgumentParser], None]) -> None:  # fmt: skip
    """``deadletters list`` and ``deadletters redrive``."""
    command = commands.add_parser("deadletters", help="list dead letters; re-drive chosen ones")
    command.add_argument("action", choices=("list", "redrive"))
    command.add_argument("--consumer", help="list: only this consumer's letters")
    command.add_argument("--cause", help="list: only letters whose cause contains this text")
    command.add_argument("--format", choices=("table", "json"), default="table")
    command.add_argument(
        "--sequence", type=int, action="append", default=[],
        help="redrive: the letter's sequence in CCC_DEADLETTER (repeatable)",
    )  # fmt: skip
    command.add_argument("--by", help="redrive: who asks (recorded with the request)")
    nats_options(command)


async def run(args: argparse.Namespace, connect: Connect) -> int:
    """Run ``deadletters list`` or ``deadletters redrive`` as the operator."""
    if args.action == "redrive" and (not args.sequence or not args.by):
        raise ValueError("redrive needs --sequence (one or more) and --by")
    args.nats_user = args.nats_user or OPERATOR
    nc = await connect(args)
    try:
        js = nc.jetstream()
        if args.action == "redrive":
            await take_requests(js)
            print("\n".join(await ask_redrive(js, args.sequence, args.by)))
            return 0
        letters = [
            letter for letter in await read_letters(js)
            if (not args.consumer or letter.consumer == args.consumer)
            and (not args.cause or args.cause in letter.cause)
        ]  # fmt: skip
    except nats.errors.TimeoutError as error:  # a refused request gets no answer
        raise ValueError(
            f"{DEADLETTER_STREAM} did not answer {args.nats_user}: only the bus user"
            f" {OPERATOR!r} may read and re-drive dead letters"
        ) from error
    finally:
        await nc.close()
    if args.format == "json":
        print(json.dumps([asdict(letter) for letter in letters], ensure_ascii=False, indent=2))
    else:
        print(table(letters))
    return 0
