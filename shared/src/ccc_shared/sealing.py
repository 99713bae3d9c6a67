"""Values sealed at rest: encrypted before they reach the database, opened only where needed.

Used for what the database must not show to whoever reads it or a backup: an informant's
identity and contact (enforcement, Order 117 art 48) and webhook signing secrets
(notification). Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``): a sealed value
is text that starts with ``sealed:v1:``; values stored before sealing began are plain text and
are returned as they are.

Keys: a service's ``<PREFIX>..._KEYS`` setting (a JSON list; the first seals, all open, so a key
can be rotated in), or else a key file the service creates in its data folder on first start
(mode 0600; the embedded default). Back the key up with the database: without it, nothing it
sealed can be read again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

SEALED = "sealed:v1:"  # how a sealed value starts (nothing typed by a person does)


class UnknownSealKeyError(RuntimeError):
    """A sealed value that none of the service's keys opens (a lost or wrong key)."""


class Seal:
    """Seals and opens values with a service's keys; ``where`` names them in errors."""

    def __init__(self, keys: Sequence[str], where: str = "the service's keys") -> None:
        if not keys:
            raise ValueError("at least one sealing key is needed")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError as error:
            raise ValueError(f"a sealing key is not a Fernet key: {error}") from None
        self.where = where

    @classmethod
    def configured(cls, keys: Sequence[SecretStr], key_file: Path, setting: str) -> Seal:
        """The keys of a setting, or else those of ``key_file`` (created if absent)."""
        if keys:
            return cls([key.get_secret_value() for key in keys], setting)
        return cls.from_key_file(key_file, f"{setting} or {key_file}")

    @classmethod
    def from_key_file(cls, path: Path, where: str | None = None) -> Seal:
        """The keys in ``path`` (one per line), creating it with a new key (mode 0600) if absent."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(Fernet.generate_key().decode() + "\n")
        keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
        return cls(keys, where or str(path))

    def seal(self, value: str | None) -> str | None:
        """The value encrypted (None stays None)."""
        if value is None:
            return None
        return SEALED + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        """The plain value of a stored one (plain text stored before sealing is returned)."""
        if stored is None or not stored.startswith(SEALED):
            return stored
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED).encode()).decode()
        except InvalidToken:
            raise UnknownSealKeyError(
                f"a value was sealed with a key this service does not hold ({self.where})"
            ) from None
