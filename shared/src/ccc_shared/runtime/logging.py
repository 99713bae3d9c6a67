"""Structured logs: one event per line, readable on a terminal, JSON everywhere else.

Every line carries the context bound with ``structlog.contextvars`` (``event_id``,
``correlation_id``, ...), so an auditor can follow one lifecycle thread through all services.
Standard-library loggers (uvicorn, nats, SQLAlchemy) go through the same renderer.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

import structlog
import structlog.tracebacks
from structlog.typing import EventDict, Processor, WrappedLogger

if TYPE_CHECKING:
    from ccc_shared.runtime.settings import ServiceSettings

# Envelope fields bound to the log context while an event is being handled.
EVENT_CONTEXT_FIELDS = ("event_id", "correlation_id", "causation_id")


def configure_logging(
    settings_or_format: ServiceSettings | str = "auto",
    level: str | int | None = None,
    *,
    stream: TextIO | None = None,
    service: str | None = None,
) -> None:
    """Route structlog and stdlib logging to one handler on ``stream`` (stderr by default)."""
    if isinstance(settings_or_format, str):
        log_format = settings_or_format
    else:
        log_format = settings_or_format.log_format
        level = level if level is not None else settings_or_format.log_level
        service = service or settings_or_format.service_name
    output = stream if stream is not None else sys.stderr
    if log_format == "auto":
        log_format = "console" if _is_terminal(output) else "json"
    if log_format not in ("console", "json"):
        raise ValueError(f"unknown log format {log_format!r}: use auto, console or json")

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if service:
        shared.insert(0, _add_service(service))
    final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if log_format == "json":
        final += [
            # tracebacks as data, without local variables: one readable line per event
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    else:
        final.append(structlog.dev.ConsoleRenderer(colors=_is_terminal(output)))

    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(output)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=final)
    )
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(_level_number(level))
    # uvicorn installs its own handlers on these; let them propagate to ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


@contextmanager
def bound_event(envelope_like: object) -> Iterator[None]:
    """Bind an event's id, correlation id and causation id to every log line in the block."""
    values: dict[str, Any] = {}
    for name in EVENT_CONTEXT_FIELDS:
        if isinstance(envelope_like, Mapping):
            value = envelope_like.get(name)
        else:
            value = getattr(envelope_like, name, None)
        if value is not None:
            values[name] = str(value)
    with structlog.contextvars.bound_contextvars(**values):
        yield


def _add_service(service: str) -> Processor:
    """Return a processor stamping every line with the service name."""

    def add_service(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return add_service


def _drop_color_message(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Drop the ANSI-coloured copy of the message that uvicorn adds as an extra."""
    event_dict.pop("color_message", None)
    return event_dict


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _level_number(level: str | int | None) -> int:
    if level is None:
        return logging.INFO
    if isinstance(level, int):
        return level
    number = logging.getLevelNamesMapping().get(level.upper())
    if number is None:
        raise ValueError(f"unknown log level {level!r}")
    return number
