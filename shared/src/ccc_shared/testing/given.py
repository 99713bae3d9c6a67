"""Given/when/then for the domain, written once: given these events, when this command, then
these events (or this refusal). It reads like the bureau's own rules.

``certificate = Behaviour(certificates.decide, certificates.evolve, TODAY)``, then
``certificate.given(*events).when(command).then(*events)`` or ``.then_raises("message part")``;
``then`` also applies the new events and returns the state they lead to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

import pytest

from ccc_shared.domain import DomainError

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")


@dataclass(frozen=True)
class Behaviour(Generic[S, C, E]):
    """An aggregate's pure functions, and the day its scenarios happen on by default."""

    decide: Callable[[S | None, C, date], Sequence[E]]
    evolve: Callable[[S | None, E], S]
    today: date

    def given(self, *events: E) -> Given[S, C, E]:
        """The history the command meets."""
        state: S | None = None
        for event in events:
            state = self.evolve(state, event)
        return Given(self, state)


@dataclass(frozen=True)
class Given(Generic[S, C, E]):
    """The state a history left."""

    behaviour: Behaviour[S, C, E]
    state: S | None

    def when(self, command: C, today: date | None = None) -> When[S, C, E]:
        """The command, decided on ``today`` (default: the behaviour's day)."""
        return When(self, command, today or self.behaviour.today)


@dataclass(frozen=True)
class When(Generic[S, C, E]):
    """A command met by a state, on a day."""

    given: Given[S, C, E]
    command: C
    today: date

    def decided(self) -> list[E]:
        """The events the command decides."""
        return list(self.given.behaviour.decide(self.given.state, self.command, self.today))

    def then(self, *expected: E) -> Any:
        """Assert the command produces exactly these events; the state after them."""
        events = self.decided()
        assert events == list(expected)
        state = self.given.state
        for event in events:
            state = self.given.behaviour.evolve(state, event)
        return state

    def then_events(self, check: Callable[[Sequence[E]], Any]) -> None:
        """Hand the produced events to a check of one's own."""
        check(self.decided())

    def then_raises(self, message: str) -> None:
        """Assert the command is refused with a DomainError whose message contains this."""
        with pytest.raises(DomainError) as error:
            self.decided()
        assert message in str(error.value), str(error.value)
