"""Informants' identity and contact sealed at rest (Order 117 art 48).

Masking in the API and in published events keeps the informant from other readers of the
service; sealing keeps them from anyone reading the database or a backup too. The informant and
contact are encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``) before the
complaint is recorded, so the ``ComplaintRecorded`` event, its hash chain and the complaints
table hold only ciphertext; they are opened only for the case officer assigned to the case.

Keys: ``ENFORCEMENT_INFORMANT_KEYS`` (a JSON list; the first seals, all open, so a key can be
rotated in), or else a key file the service creates in its data folder on first start (the
embedded default; back it up with the database, or the informants cannot be read again).
Complaints recorded before sealing began hold plain text and are shown as they are.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SEALED = "sealed:v1:"  # how a sealed value starts (nothing typed by a person does)
KEY_FILE = "informant.keys"


class UnknownInformantKeyError(RuntimeError):
    """A sealed informant that none of the service's keys opens (a lost or wrong key)."""


class InformantSeal:
    """Seals and opens informant fields with the service's keys."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one informant key is needed")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError as error:
            raise ValueError(f"an informant key is not a Fernet key: {error}") from None

    @classmethod
    def from_key_file(cls, path: Path) -> InformantSeal:
        """The keys in ``path`` (one per line), creating it with a new key (mode 0600) if absent."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(Fernet.generate_key().decode() + "\n")
        keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
        return cls(keys)

    def seal(self, value: str | None) -> str | None:
        """The value encrypted (None stays None: an anonymous complaint)."""
        if value is None:
            return None
        return SEALED + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        """The plain value of a stored one (plain text recorded before sealing is returned)."""
        if stored is None or not stored.startswith(SEALED):
            return stored
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED).encode()).decode()
        except InvalidToken:
            raise UnknownInformantKeyError(
                "the informant was sealed with a key this service does not hold"
                " (ENFORCEMENT_INFORMANT_KEYS or the data folder's informant.keys)"
            ) from None
