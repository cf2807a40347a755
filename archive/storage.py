"""Content-addressed store for original uploads under ``ORIGINALS_DIR``.

Files are named by their sha256, so storing the same bytes twice is a no-op and
a file can be checked against its name at any time. A write goes to a temporary
file in the same folder and is renamed into place: a crash never leaves a
truncated original under a valid name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def original_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 digest: {sha256!r}")
    return Path(settings.ORIGINALS_DIR) / sha256[:2] / sha256


def store_original(data: bytes) -> str:
    """Store ``data`` and return its sha256 (idempotent)."""
    digest = sha256_hex(data)
    path = original_path(digest)
    if path.exists() and path.stat().st_size == len(data):
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def read_original(sha256: str) -> bytes:
    return original_path(sha256).read_bytes()
