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
from datetime import datetime

from django.db.models import Q

from .ingest import neardup
from .models import Report


class SketchIndex:
    def __init__(self) -> None:
        self._postings: dict[int, set[int]] = defaultdict(set)
        self._sketches: dict[int, tuple[int, ...]] = {}
        self._last_pk = 0
        self._newest: datetime | None = None  # the latest ``updated_at`` loaded
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        """Load the rows added or saved since the last look.

        New rows have a higher pk; a reprocessed or edited row (or one whose pk a
        rolled-back transaction freed and a new row took) a newer ``updated_at``:
        both conditions use an index, so a refresh costs the changed rows only.
        Counting the known rows instead read every report row twice per new
        report, quadratic over an import (18 of the writer's 134 ms per report
        under cProfile, importing 300 reports into an empty archive). Deleted
        rows stay in memory and are dropped by the liveness check in
        ``best_match``.
        """
        changed = Q(pk__gt=self._last_pk)
        if self._newest is not None:
            changed |= Q(updated_at__gte=self._newest)
        # No ORDER BY (not even the model's default): with one, SQLite scans the
        # whole table in that order instead of searching two indexes.
        rows = (
            Report.objects.filter(changed)
            .order_by()
            .values_list("pk", "updated_at", "evidence__minhash")
        )
        for pk, updated_at, value in rows.iterator():
            self._put(pk, neardup.from_hex(value))
            self._last_pk = max(self._last_pk, pk)
            self._newest = updated_at if self._newest is None else max(self._newest, updated_at)

    def _put(self, pk: int, sketch: tuple[int, ...]) -> None:
        old = self._sketches.get(pk)
        if old == sketch:
            return
        for h in old or ():
            self._postings[h].discard(pk)
        self._sketches[pk] = sketch
        for h in sketch:
            self._postings[h].add(pk)

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
