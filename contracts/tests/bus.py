"""A secured nats-server with subscriber accounts, and helpers to wait for a subscriber."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from ccc_shared.runtime.embedded_nats import EmbeddedNats
from ccc_shared.runtime.subscriber_accounts import add

ROOT = Path(__file__).resolve().parents[2]
GRANTS = {
    "warehouse": ("registry", "enforcement"),
    "cccf": ("registry", "inspection"),
    "cqc": ("registry", "inspection"),
}


def secured_bus(folder: Path) -> tuple[EmbeddedNats, dict[str, str]]:
    """A secure server (not started) whose table grants ``GRANTS``; the passwords."""
    table = folder / "subscribers.toml"
    passwords = {
        name: add(table, name, contexts, granted_by="admin-1") for name, contexts in GRANTS.items()
    }
    return EmbeddedNats(folder / "nats", secure=True, subscribers_table=table), passwords


def example(name: str) -> ModuleType:
    """A worked subscriber of docs/examples, imported from its file."""
    spec = importlib.util.spec_from_file_location(
        f"example_{name}", ROOT / "docs" / "examples" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Wait (bounded) until ``condition()`` holds; fail saying what never happened."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await asyncio.to_thread(condition):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"after {seconds} s: {what}")
        await asyncio.sleep(0.05)
