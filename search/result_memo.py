"""Search results remembered while the index is unchanged, shared by every worker.

Analysts page, re-sort and toggle facets of one query, and a common word costs
Whoosh 100+ ms to score and facet at 10,000 reports. Per process, the next page
of a query met a gunicorn worker that had never seen it on most requests (four
workers, whichever is free answers): the "repeated" search p95 stayed near the
first ask's (docs/benchmarks.md, "Shared caches, stop 18"). So results live in
the ``default`` cache, which every worker shares (diskcache under the data dir).

A key holds the index path and the stamp of its files (a write anywhere in the
index is a new stamp: nothing computed before it is found after it), the code's
epoch (``archive.cache_versions.epoch``) and this process's generation (``forget``).
Values are pickled in and out, so a caller may change what it is handed.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings

from archive import cache_versions

from .engine import Hits


class ResultMemo:
    def __init__(self) -> None:
        self._generation = uuid.uuid4().hex

    def _key(self, path: str, stamp: tuple, key: str) -> str:
        raw = repr((cache_versions.epoch(), self._generation, path, stamp, key)).encode()
        return f"hits:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"

    def get(self, path: str, stamp: tuple, key: str) -> Hits | None:
        if settings.SEARCH_RESULT_CACHE <= 0:
            return None
        return cache_versions.values().get(self._key(path, stamp, key))

    def put(self, path: str, stamp: tuple, key: str, hits: Hits) -> None:
        if settings.SEARCH_RESULT_CACHE > 0:
            timeout = cache_versions.TIMEOUT
            cache_versions.values().set(self._key(path, stamp, key), hits, timeout=timeout)

    def forget(self) -> None:
        """Nothing remembered before is found by this process again (tests)."""
        self._generation = uuid.uuid4().hex
