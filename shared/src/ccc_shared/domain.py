"""What every service's aggregates share: frozen commands and states, and the domain's error.

Pure: no I/O. A service's ``domain/`` builds its decide/evolve functions on these.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from ccc_contracts.text import INPUT_TEXT_MAX, InputModel


class Command(InputModel):
    """An order to an aggregate, named in the imperative; frozen, unknown fields refused, text
    bounded (``ccc_contracts.text``)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, str_max_length=INPUT_TEXT_MAX
    )


class State(BaseModel):
    """An aggregate's state (or a private event), rebuilt from events, never changed in place."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DomainError(ValueError):
    """A command the bureau's rules refuse; the message says which rule and why.

    ``code`` names the rule, stable and dotted (``certificate.already_suspended``): clients
    key their own messages on it (the services answer it as Problem Details, RFC 9457);
    ``fields`` names the request fields the refusal concerns, where known.
    """

    def __init__(
        self, message: str, *, code: str = "rule.unspecified", fields: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.fields = tuple(fields)
