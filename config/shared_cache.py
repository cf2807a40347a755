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

from collections import defaultdict
from functools import lru_cache

from diskcache import DjangoCache, Timeout
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

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

    def set_many(self, data: dict, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        """``set`` of each item, one SQLite transaction per shard rather than one per
        item: a page of 20 search hits stores 20 snippets (0.16 ms a set against
        0.07 ms inside a shared transaction; issue 18 stop 22). A shard whose lock is
        not had within the database timeout is skipped, not waited for as ``set``
        waits: its keys are returned as not stored (the next reader computes them)."""
        expire = self.get_backend_timeout(timeout=timeout)
        fanout = self._cache
        by_shard: dict[int, list[tuple[str, str, object]]] = defaultdict(list)
        for key, value in data.items():
            made = self.make_key(key, version=version)
            by_shard[fanout._hash(made) % fanout._count].append((key, made, value))
        failed = []
        for index, items in by_shard.items():
            shard = fanout._shards[index]
            try:
                with shard.transact(retry=False):
                    for _key, made, value in items:
                        shard.set(made, value, expire, False, None, False)
            except Timeout:
                failed += [key for key, _made, _value in items]
        return failed
