"""The ``default`` cache backend: diskcache's, opened once per process.

Django builds a cache backend per thread (``caches`` is thread-local), and
diskcache's opens its SQLite shards on construction (tables, triggers, settings:
~10 ms for four shards). runserver starts a thread per request, so every request
paid it: a cached search answer took 15 ms there against 3 ms on a reused thread
(docs/benchmarks.md, "Threading models"). Here every thread of a process shares
one ``FanoutCache`` per folder; diskcache gives each thread its own connection,
and reopens them after a fork. A thread's connections go to the next new thread
when it ends (config/cache_connections.py: 0.4 ms per shard per runserver request).
"""

from __future__ import annotations

from functools import lru_cache

from diskcache import DjangoCache
from django.core.cache.backends.base import BaseCache

from config.cache_connections import PooledFanoutCache


@lru_cache(maxsize=8)
def _opened(directory: str, shards: int, timeout: float, options: tuple) -> PooledFanoutCache:
    return PooledFanoutCache(directory, shards, timeout, **dict(options))


class SharedDiskCache(DjangoCache):
    """``diskcache.DjangoCache`` with its shards opened once per process."""

    def __init__(self, directory: str, params: dict) -> None:
        BaseCache.__init__(self, params)
        options = tuple(sorted(params.get("OPTIONS", {}).items()))
        shards, timeout = params.get("SHARDS", 8), params.get("DATABASE_TIMEOUT", 0.010)
        self._cache = _opened(directory, shards, timeout, options)

    def close(self, **kwargs) -> None:
        """Kept open: Django closes caches after every request, and this thread's
        connections serve its next request (a thread that ends takes its own)."""
