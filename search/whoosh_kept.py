"""What bulk scoring keeps: per searcher (until the index changes) and per segment
(across searchers: a segment never changes once written)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from whoosh.searching import Searcher

#: bytes a process keeps per segment across searchers (``SegmentMemo``).
MAX_SEGMENT_BYTES = 64 * 2**20


def kept_on(sub: Searcher, attribute: str, key, make, limit: int):
    """``make()`` kept under ``key`` on the segment searcher, least recent evicted."""
    kept: OrderedDict = sub.__dict__.setdefault(attribute, OrderedDict())
    found = kept.pop(key, None)
    kept[key] = found = make() if found is None else found
    while len(kept) > limit:
        kept.popitem(last=False)
    return found


class SegmentMemo:
    """Values read from one segment (a term's postings, a phrase's answers per
    document), kept across searchers.

    A segment never changes once written (deletions are kept apart and applied per
    searcher), but a searcher lives only until the next commit: after an upload,
    every common word was decoded again from its compressed blocks, ~10 ms per
    word at 10,000 reports. Bounded in bytes, least recently used dropped first;
    one lock, since threads of a process share it.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            return found[0]

    def put(self, key: tuple, value, size: int) -> None:
        with self._lock:
            if key in self._kept or size > self.max_bytes:
                return
            self._kept[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped


segment_memo = SegmentMemo(MAX_SEGMENT_BYTES)
