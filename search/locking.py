"""The inter-process lock around every write to the Whoosh index.

Whoosh allows one writer per index; haystack's own commands (rebuild_index,
update_index) and the web workers' queue drains must therefore take turns. The
lock is re-entrant within a thread, so a drain can call the backend's update,
which takes the lock too; flock on a second descriptor would deadlock.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_held = threading.local()


@contextmanager
def writer_lock() -> Iterator[None]:
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    path = Path(settings.DATA_DIR) / "index.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0
            fcntl.flock(handle, fcntl.LOCK_UN)
