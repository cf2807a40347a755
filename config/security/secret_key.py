"""A SECRET_KEY generated once per data dir, for serving without any set-up.

``make run`` must work for a newcomer who sets nothing, yet a served site must
not sign sessions with a key published in the repository. So when no key is
given and DEBUG is off, one is generated into ``ARCHIVE_DATA_DIR/secret_key``
(mode 0600) on first use and read back on every later start: sessions survive
restarts, and every gunicorn worker reads the same key. Django-free on purpose:
settings.py imports it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

#: Django's check --deploy wants >= 50 characters and >= 5 distinct ones.
KEY_BYTES = 48


def load_or_create_secret_key(path: Path) -> str:
    """The key stored at ``path``, creating it atomically if it does not exist.

    Two processes starting at once (gunicorn master and a management command)
    must end up with the same key: the new key is written to a private temporary
    file and hard-linked into place, which fails if another process won the race;
    the loser then reads the winner's key.
    """
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # FileExistsError: another process created it first, and we read theirs.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise ValueError(f"{path} holds a key shorter than 50 characters; delete it to regenerate")
    return key
