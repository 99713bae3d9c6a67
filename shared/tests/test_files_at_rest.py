"""Files at rest: a SQLite store is its owner's alone (0600 in a 0700 folder), WAL included."""

from __future__ import annotations

import stat
from pathlib import Path

from messaging_support import append_events, make_producer

from ccc_shared.runtime.embedded_nats import EmbeddedNats


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_and_its_folder_are_the_owners_alone(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "data"
    store = make_producer(f"sqlite:///{folder / 'registry.db'}", "reg")
    append_events(store, "e-1", 2)
    assert mode(folder) == 0o700
    written = sorted(folder.iterdir())
    assert "registry.db" in {path.name for path in written}
    for path in written:  # the store, its -wal and -shm files
        assert mode(path) == 0o600, path.name
    store.close()


def test_a_store_left_readable_by_others_is_tightened_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    store = make_producer(f"sqlite:///{path}", "reg")
    assert mode(path) == 0o600
    store.close()


def test_the_embedded_bus_folder_is_the_owners_alone(tmp_path: Path) -> None:
    with EmbeddedNats(tmp_path / "nats", secure=True) as server:
        assert mode(server.data_dir) == 0o700
        assert mode(server.data_dir / "credentials.json") == 0o600
        assert mode(server.config_path) == 0o600
