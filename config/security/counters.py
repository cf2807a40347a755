"""Hit counters in Django's cache, for the login lockout.

A counter's window opens at its first hit and lasts ``window`` seconds; the entry
stores its own reset time, so an update never stretches the window. (Django's
``cache.incr`` would be shorter but, on the file-based cache we default to, it
re-saves the entry with the default timeout and so resets the expiry.)

The read-modify-write is not atomic on the file or local-memory caches: two
workers counting the same hit at the same instant can lose one count. Limits
are therefore approximate (slightly lenient) under races; they exist to stop
floods, not to bill. A Redis cache configured as ``CACHES["throttle"]`` keeps
them the same way, just faster.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE_ALIAS = "throttle"


@dataclass(frozen=True)
class Count:
    hits: int
    reset_in: float  # seconds until the window closes

    @property
    def retry_after(self) -> int:
        """Whole seconds a client should wait (the Retry-After header), at least 1."""
        return max(1, math.ceil(self.reset_in))


def bump(key: str, *, window: int, now: float | None = None) -> Count:
    """Count one hit on ``key`` and return the window's total so far."""
    now = time.time() if now is None else now
    cache = caches[CACHE_ALIAS]
    entry = cache.get(key)
    hits, reset_at = entry if _live(entry, now) else (0, now + window)
    hits += 1
    cache.set(key, (hits, reset_at), timeout=math.ceil(reset_at - now) + 1)
    return Count(hits, reset_at - now)


def peek(key: str, *, now: float | None = None) -> Count:
    """The window's total so far without counting a hit (0 when no window is open)."""
    now = time.time() if now is None else now
    entry = caches[CACHE_ALIAS].get(key)
    if not _live(entry, now):
        return Count(0, 0.0)
    return Count(entry[0], entry[1] - now)


def forget(key: str) -> None:
    caches[CACHE_ALIAS].delete(key)


def _live(entry: object, now: float) -> bool:
    return isinstance(entry, tuple) and len(entry) == 2 and entry[1] > now
