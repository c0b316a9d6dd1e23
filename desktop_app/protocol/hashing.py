"""Content addresses: a photo is named by the SHA-256 of its bytes, on the
laptop and at the server alike (docs/PROTOCOL.md, Attachments)."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1024 * 1024


def content_hash(data: bytes) -> str:
    """The SHA-256 of bytes held in memory (a photo in a bundle, a bundle file)."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (photos need not fit in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
