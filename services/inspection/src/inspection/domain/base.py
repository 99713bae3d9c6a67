"""Aggregate building blocks, shared by every service (see ``ccc_shared.domain``)."""

from ccc_shared.domain import Command, DomainError, State

__all__ = ["Command", "DomainError", "State"]
