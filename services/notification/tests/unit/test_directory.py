"""The directory aggregate: list, replace only on a change, remove once."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_shared.domain import DomainError
from notification.domain import directory
from notification.domain.directory import ChannelAddress, PutRecipient, RemoveRecipient

pytestmark = pytest.mark.unit
TODAY = date(2026, 6, 1)
WEBHOOK = ChannelAddress(channel="webhook", address="https://cqc.example/hook", signed=True)


def put(name: str = "中国质量认证中心") -> PutRecipient:
    return PutRecipient(recipient_id="certification_body:CQC", name=name, channels=[WEBHOOK])


def test_listing_names_the_kind_and_an_unchanged_entry_writes_nothing() -> None:
    events = directory.decide(None, put(), TODAY)
    state = directory.evolve(None, events[0])
    assert (state.kind, state.language, state.channels) == ("certification_body", "zh", [WEBHOOK])
    assert directory.decide(state, put(), TODAY) == []
    assert len(directory.decide(state, put("CQC"), TODAY)) == 1


def test_a_removed_recipient_cannot_be_removed_again_but_can_be_listed_again() -> None:
    state = directory.evolve(None, directory.decide(None, put(), TODAY)[0])
    remove = RemoveRecipient(recipient_id="certification_body:CQC")
    state = directory.evolve(state, directory.decide(state, remove, TODAY)[0])
    assert state.removed
    with pytest.raises(DomainError, match="not in the directory"):
        directory.decide(state, remove, TODAY)
    assert directory.evolve(state, directory.decide(state, put(), TODAY)[0]).removed is False


@pytest.mark.parametrize("bad", ["bureau", "cnca:1", "staff:", "police:1", "bureau:a b"])
def test_recipient_ids_name_a_kind(bad: str) -> None:
    with pytest.raises(ValueError, match="recipient_id"):
        RemoveRecipient(recipient_id=bad)
