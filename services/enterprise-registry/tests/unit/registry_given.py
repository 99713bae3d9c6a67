"""Given/when/then for the registry's aggregates: given these events, when this command, then these.

``certificate.given(*events).when(command).then(*events)`` or ``.then_raises("message part")``;
``then`` also applies the new events and returns the state they lead to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

import pytest

from enterprise_registry.domain import certificates, enterprises
from enterprise_registry.domain.base import DomainError

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")


@dataclass(frozen=True)
class Aggregate(Generic[S, C, E]):
    """An aggregate's pure functions, and the day its scenarios happen on by default."""

    decide: Callable[[S | None, C, date], list[E]]
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
    aggregate: Aggregate[S, C, E]
    state: S | None

    def when(self, command: C, today: date | None = None) -> When[S, C, E]:
        """The command, decided on ``today`` (default: the aggregate's day)."""
        return When(self, command, today or self.aggregate.today)


@dataclass(frozen=True)
class When(Generic[S, C, E]):
    given: Given[S, C, E]
    command: C
    today: date

    def decided(self) -> list[E]:
        return self.given.aggregate.decide(self.given.state, self.command, self.today)

    def then(self, *expected: E) -> S | None:
        """Assert the command produces exactly these events; the state after them."""
        events = self.decided()
        assert events == list(expected)
        state = self.given.state
        for event in events:
            state = self.given.aggregate.evolve(state, event)
        return state

    def then_events(self, check: Callable[[Sequence[E]], Any]) -> None:
        """Hand the produced events to a check of one's own."""
        check(self.decided())

    def then_raises(self, message: str) -> None:
        """Assert the command is refused with a DomainError whose message contains this."""
        with pytest.raises(DomainError) as error:
            self.decided()
        assert message in str(error.value), str(error.value)


TODAY = date(2026, 5, 1)
certificate = Aggregate(certificates.decide, certificates.evolve, TODAY)
enterprise = Aggregate(enterprises.decide, enterprises.evolve, TODAY)
