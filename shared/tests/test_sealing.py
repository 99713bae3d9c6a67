"""Sealing values at rest: round trip, None, plain text from before sealing, wrong keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from ccc_shared.sealing import SEALED, Seal, UnknownSealKeyError


def test_a_sealed_informant_opens_with_the_key_and_shows_nothing_in_the_clear() -> None:
    seal = Seal([Fernet.generate_key().decode()])
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
    sealed = Seal([old]).seal("王五")
    with pytest.raises(UnknownSealKeyError, match=r"does not hold \(X_KEYS\)"):
        Seal.configured([SecretStr(new)], Path("unused"), "X_KEYS").open(sealed)
    rotated = Seal([new, old])
    assert rotated.open(sealed) == "王五"
    assert Seal([new]).open(rotated.seal("赵六")) == "赵六"  # the first key seals


def test_bad_keys_are_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="not a Fernet key"):
        Seal(["not-a-key"])
    with pytest.raises(ValueError, match="at least one"):
        Seal([])
    with pytest.raises(ValueError, match="not a Fernet key"):
        Seal.configured([SecretStr("short")], Path("unused"), "X_KEYS")


def test_the_key_file_is_created_once_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "informant.keys"
    sealed = Seal.from_key_file(path).seal("钱七")
    assert path.stat().st_mode & 0o777 == 0o600
    assert Seal.from_key_file(path).open(sealed) == "钱七"  # read again, not replaced


def test_configured_keys_win_over_the_key_file(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    Seal.configured([SecretStr(key)], tmp_path / "x.keys", "X_KEYS")
    assert not (tmp_path / "x.keys").exists()
    from_file = Seal.configured([], tmp_path / "x.keys", "X_KEYS")
    assert (tmp_path / "x.keys").exists()
    assert Seal.from_key_file(tmp_path / "x.keys").open(from_file.seal("秘密")) == "秘密"
