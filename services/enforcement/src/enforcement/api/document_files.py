"""What a kept document may be, and how it is named when served: pure, no I/O.

A document's type is read from its first bytes, never taken from the uploader: a penalty
decision is a PDF, and photos of evidence are JPEG or PNG; anything else is refused. Three
fixed signatures (ISO 32000-1 §7.5.2 header ``%PDF-``, JPEG's SOI marker plus the first marker's
0xFF, PNG's eight-byte signature) need no sniffing library, which would only recognise hundreds
of types to refuse. The name it is served under is stripped of control characters, quotes and
path separators, bounded, given the extension of its real type, and written into
``Content-Disposition`` as RFC 6266 says: an ASCII ``filename`` and the UTF-8 ``filename*``
of RFC 8187 (formerly RFC 5987).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote

SNIFF_BYTES = 8  # the longest signature below
MAX_FILENAME_CHARS = 120
UTF8_EXT_VALUE = "utf-8''"  # RFC 8187 ext-value prefix (charset is case-insensitive)


@dataclass(frozen=True)
class DocumentType:
    """One kind of file the bureau keeps: its media type, signature and extensions."""

    media_type: str
    signature: bytes
    extensions: tuple[str, ...]


KEPT_TYPES = (
    DocumentType("application/pdf", b"%PDF-", (".pdf",)),
    DocumentType("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    DocumentType("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)
KEPT_NAMES = ", ".join(t.media_type for t in KEPT_TYPES)
# served for a file kept before types were checked: a download, never shown in a browser
UNKNOWN_FILE = DocumentType("application/octet-stream", b"", (".bin",))
# what a client may declare without naming a type (the first bytes decide)
UNDECLARED = frozenset({"", "application/octet-stream"})


class DocumentRefusedError(ValueError):
    """A file the bureau does not keep (unknown type, or not what the uploader said)."""


def detect_type(head: bytes) -> DocumentType | None:
    """The kept type whose signature the file starts with, or None."""
    return next((t for t in KEPT_TYPES if head.startswith(t.signature)), None)


def could_still_be_kept(head: bytes) -> bool:
    """Whether a file starting with ``head`` (shorter than a signature) may yet be kept."""
    return any(t.signature.startswith(head) for t in KEPT_TYPES)


def check_type(head: bytes, declared: str) -> DocumentType:
    """The file's type from its first bytes; refused if unknown or not the declared one."""
    found = detect_type(head)
    media_type = declared.split(";")[0].strip().lower()
    if found is None:
        raise DocumentRefusedError(
            f"the document is none of {KEPT_NAMES} by its first bytes"
            f" (the Content-Type sent, {media_type!r}, is not trusted)"
        )
    if media_type not in UNDECLARED and media_type != found.media_type:
        raise DocumentRefusedError(
            f"the document is {found.media_type} by its first bytes, not {media_type!r} as sent"
        )
    return found


def uploaded_filename(header_value: bytes) -> str:
    """The name an ``X-Filename`` header gives: UTF-8 bytes, or an RFC 8187 ext-value."""
    text = header_value.decode("utf-8", errors="replace")
    if text[: len(UTF8_EXT_VALUE)].lower() == UTF8_EXT_VALUE:
        text = unquote(text[len(UTF8_EXT_VALUE) :], errors="replace")
    return text


def safe_filename(name: str, kind: DocumentType) -> str:
    """``name`` without control characters, quotes or path separators, bounded in length,
    ending in an extension of its real type (``a.html`` served as a PDF is ``a.html.pdf``)."""
    spaced = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in "/\\" else char
        for char in unicodedata.normalize("NFC", name)
        if unicodedata.category(char) != "Cf" and char not in "\"'"  # Cf: bidi overrides, ...
    )
    kept = " ".join(spaced.split()).strip(" .") or "document"
    if not kept.lower().endswith(kind.extensions):
        kept += kind.extensions[0]
    if len(kept) > MAX_FILENAME_CHARS:
        extension = kept[kept.rindex(".") :]
        kept = kept[: MAX_FILENAME_CHARS - len(extension)].rstrip(" .") + extension
    return kept


def ascii_fallback(name: str) -> str:
    """The name in printable ASCII for old clients (accents dropped, other letters ``_``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        letters.append(char if " " <= char <= "~" and char not in '"\\%' else "_")
    return "".join(letters)


def content_disposition(name: str, kind: DocumentType) -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266 §4.3)."""
    safe = safe_filename(name, kind)
    fallback = ascii_fallback(safe)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"
