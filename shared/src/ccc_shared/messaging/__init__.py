"""The bus: stream setup, the outbox relay and the subscription runner (on nats-py JetStream)."""

from ccc_shared.messaging.apply import Handler
from ccc_shared.messaging.deadletter import DeadLetter, DeadLetterPublisher
from ccc_shared.messaging.ledger import Ledger
from ccc_shared.messaging.relay import OutboxRelay, RelayPublishError
from ccc_shared.messaging.runner import RunnerMetrics, SubscriptionRunner
from ccc_shared.messaging.streams import (
    DEADLETTER,
    DEADLETTER_STREAM,
    SERVICE_STREAMS,
    context_subjects,
    deadletter_stream,
    ensure_stream,
    ensure_streams,
    event_stream,
    stream_name,
)

__all__ = [
    "DEADLETTER",
    "DEADLETTER_STREAM",
    "SERVICE_STREAMS",
    "DeadLetter",
    "DeadLetterPublisher",
    "Handler",
    "Ledger",
    "OutboxRelay",
    "RelayPublishError",
    "RunnerMetrics",
    "SubscriptionRunner",
    "context_subjects",
    "deadletter_stream",
    "ensure_stream",
    "ensure_streams",
    "event_stream",
    "stream_name",
]
