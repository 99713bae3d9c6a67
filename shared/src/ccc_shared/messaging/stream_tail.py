"""The tail of a service stream as the relay sees it, and the headers that chain its publishes.

Each event the relay publishes carries ``Nats-Expected-Last-Msg-Id``: the id of the event
before it in commit order (for the first of a pass, the id of the stream's last message). The
server stores a message only if it follows the stream's last stored message, so a lost
message can never be overtaken by later ones. Measured on nats-server 2.15.1 (and pinned by
``shared/tests/test_stream_chain.py``):

- the duplicate check comes first: a re-send of a stored message (same ``Nats-Msg-Id``, inside
  the duplicate window) is acked ``duplicate=True`` whatever its expected last id says. This is
  not so for ``Nats-Expected-Last-Sequence``, which is checked before dedup (a re-send with a
  stale sequence is refused, 10071): that header cannot chain a re-sendable pipeline;
- a wrong expected id is refused with err_code 10070 ("wrong last msg ID: <server's id>");
- an absent or empty header is not checked: the first publish into an empty stream, or after a
  message without ``Nats-Msg-Id`` (whose id the server then takes as ""), goes without one;
- the server's last id survives a restart, but a deleted tail message leaves it different from
  the stored tail's id (after a restart: ""), which is why the relay has an unchained fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from nats.js.errors import APIError, NotFoundError

MSG_ID = "Nats-Msg-Id"
EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id"
WRONG_LAST_MSG_ID = 10070  # JetStream err_code of a refused Nats-Expected-Last-Msg-Id


def is_wrong_last_msg_id(error: BaseException | None) -> bool:
    """Whether the server refused a publish because it did not follow the stream's last one."""
    return isinstance(error, APIError) and error.err_code == WRONG_LAST_MSG_ID


@dataclass(slots=True)
class StreamTail:
    """The stream's last message and the pending events found at its tail."""

    sequence: int = 0  # 0: the stream is empty
    msg_id: str = ""  # "" when empty or when the last message has no Nats-Msg-Id
    subject: str = ""
    found: list[int] = field(default_factory=list)  # outbox positions of pending events found


async def read_tail(
    js: JetStreamContext, stream: str, pending: Mapping[str, int], lookback: int
) -> StreamTail:
    """Read the stream's last message, and walk back while its messages are ``pending`` events.

    ``pending`` maps event ids waiting in the outbox to their positions; the walk stops at the
    first message that is not one of them (older ones were marked before: the stream holds the
    events in commit order) or after ``lookback`` messages.
    """
    info = await js.stream_info(stream)
    tail = StreamTail()
    sequence = info.state.last_seq
    lowest = max(info.state.first_seq, sequence - lookback + 1)
    while sequence >= lowest and sequence > 0:
        try:
            stored = await js.get_msg(stream, seq=sequence)
        except NotFoundError:  # a deleted message: the server's last id may differ from ours
            sequence -= 1
            continue
        msg_id = (stored.headers or {}).get(MSG_ID, "")
        if not tail.sequence:
            tail.sequence, tail.msg_id, tail.subject = sequence, msg_id, stored.subject or ""
        position = pending.get(msg_id) if msg_id else None
        if position is None:
            break
        tail.found.append(position)
        sequence -= 1
    tail.found.sort()
    return tail
