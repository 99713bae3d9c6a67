"""Sealing informants: round trip, anonymity, plain text from before sealing, wrong keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from enforcement.application.informants import (
    SEALED,
    InformantSeal,
    UnknownInformantKeyError,
)

pytestmark = pytest.mark.unit


def test_a_sealed_informant_opens_with_the_key_and_shows_nothing_in_the_clear() -> None:
    seal = InformantSeal([Fernet.generate_key().decode()])
    sealed = seal.seal("张三 13800000000")
    assert sealed is not None
    assert sealed.startswith(SEALED)
    assert "张三" not in sealed
    assert "13800000000" not in sealed
    assert seal.open(sealed) == "张三 13800000000"
    assert seal.seal(None) is None  # anonymous stays anonymous
    assert seal.open(None) is None
    assert seal.open("李四") == "李四"  # recorded before sealing began


def test_another_key_cannot_open_it_but_a_rotated_list_can() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = InformantSeal([old]).seal("王五")
    with pytest.raises(UnknownInformantKeyError, match="key this service does not hold"):
        InformantSeal([new]).open(sealed)
    rotated = InformantSeal([new, old])
    assert rotated.open(sealed) == "王五"
    assert InformantSeal([new]).open(rotated.seal("赵六")) == "赵六"  # the first key seals


def test_bad_keys_are_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="not a Fernet key"):
        InformantSeal(["not-a-key"])
    with pytest.raises(ValueError, match="at least one"):
        InformantSeal([])


def test_the_key_file_is_created_once_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "informant.keys"
    sealed = InformantSeal.from_key_file(path).seal("钱七")
    assert path.stat().st_mode & 0o777 == 0o600
    assert InformantSeal.from_key_file(path).open(sealed) == "钱七"  # read again, not replaced
