"""What every aggregate of the inspection service shares: frozen commands and state, one error."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Command(BaseModel):
    """An order to an aggregate, named in the imperative; frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class State(BaseModel):
    """An aggregate's state, rebuilt from its events and never changed in place."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DomainError(ValueError):
    """A command the bureau's rules refuse; the message says which rule and why."""
