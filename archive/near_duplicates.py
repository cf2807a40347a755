"""Finding the stored report most like a new one, without comparing them all.

Comparing a new sketch with every stored one costs ~0.4 ms each: 4 s per report at
10,000 reports (docs/benchmarks.md). An in-memory inverted index from sketch hash
to report ids, filled incrementally from the database, limits the exact comparison
to reports sharing enough hashes: a bottom-k resemblance can never exceed
shared / max(len(a), len(b)), so a report sharing fewer than THRESHOLD * len(a)
hashes cannot reach the threshold. The database stays the truth: the index is a
per-process cache rebuilt from ``evidence["minhash"]``.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

from django.db.models import Count, Max

from .ingest import neardup
from .models import Report


class SketchIndex:
    def __init__(self) -> None:
        self._postings: dict[int, list[int]] = defaultdict(list)
        self._sketches: dict[int, tuple[int, ...]] = {}
        self._last_pk = 0
        self._seen: tuple = (0, None)  # (count, newest update) of rows up to _last_pk
        self._lock = threading.Lock()

    def _state(self) -> tuple:
        stats = Report.objects.filter(pk__lte=self._last_pk).aggregate(
            n=Count("pk"), newest=Max("updated_at")
        )
        return stats["n"], stats["newest"]

    def _refresh(self) -> None:
        """Load new rows; start over when known rows changed (deleted, reprocessed)."""
        if self._state() != self._seen:
            self._postings.clear()
            self._sketches.clear()
            self._last_pk = 0
        rows = (
            Report.objects.filter(pk__gt=self._last_pk)
            .order_by("pk")
            .values_list("pk", "evidence__minhash")
        )
        for pk, value in rows.iterator():
            sketch = neardup.from_hex(value)
            self._sketches[pk] = sketch
            for h in sketch:
                self._postings[h].append(pk)
            self._last_pk = pk
        self._seen = self._state()

    def best_match(self, candidate: tuple[int, ...]) -> neardup.NearMatch | None:
        if not candidate:
            return None
        with self._lock:
            self._refresh()
            shared = Counter(pk for h in candidate for pk in self._postings.get(h, ()))
            needed = neardup.THRESHOLD * len(candidate)
            stored = [(pk, self._sketches[pk]) for pk, n in shared.items() if n >= needed]
        alive = set(
            Report.objects.filter(pk__in=[pk for pk, _ in stored]).values_list("pk", flat=True)
        )
        return neardup.best_match(candidate, [(pk, s) for pk, s in stored if pk in alive])


_index = SketchIndex()


def most_similar(candidate: tuple[int, ...]) -> neardup.NearMatch | None:
    return _index.best_match(candidate)
