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
from array import array
from datetime import datetime

import numpy as np
from django.db.models import Q

from .ingest import neardup
from .models import Report


class SketchIndex:
    def __init__(self) -> None:
        #: hash -> the ids of the reports whose sketch holds it (8 bytes an id; a
        #: set took ~60: the writer's memory at 100,000 reports)
        self._postings: dict[int, array] = {}
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
        """Index ``pk`` under each hash of its sketch (once, as a set would), after
        taking it out of its old sketch's lists (a reprocess or an edit: rare, and
        paid by a copy of each of those lists)."""
        old = self._sketches.get(pk)
        if old == sketch:
            return
        for h in set(old or ()):
            ids = self._postings.get(h)
            if ids is not None:
                self._postings[h] = array("q", (x for x in ids if x != pk))
        self._sketches[pk] = sketch
        for h in set(sketch):
            ids = self._postings.get(h)
            if ids is None:
                ids = self._postings[h] = array("q")
            ids.append(pk)

    def best_match(self, candidate: tuple[int, ...]) -> neardup.NearMatch | None:
        if not candidate:
            return None
        with self._lock:
            self._refresh()
            needed = neardup.THRESHOLD * len(candidate)
            stored = [(pk, self._sketches[pk]) for pk in self._sharing(candidate, needed)]
        alive = set(
            Report.objects.filter(pk__in=[pk for pk, _ in stored]).values_list("pk", flat=True)
        )
        return neardup.best_match(candidate, [(pk, s) for pk, s in stored if pk in alive])

    def _sharing(self, candidate: tuple[int, ...], needed: float) -> list[int]:
        """The reports whose sketch holds at least ``needed`` of ``candidate``'s hashes
        (each counted as often as ``candidate`` holds it), ascending.

        Why in arrays: every list of a hash the candidate holds is counted, and on a
        large archive the lists are long (a hash common to many reports: a phrase
        every site's reports use). Counting them one id at a time in Python grew
        with the archive: 59 % of the import's writer at 34,000 reports (py-spy,
        issue 18 stop 22). ``np.bincount`` counts them in C.
        """
        lists = [self._postings[h] for h in candidate if h in self._postings]
        if not lists:
            return []
        ids = np.concatenate([np.frombuffer(listed, dtype=np.int64) for listed in lists])
        del lists  # no view of an id list outlives the lock: ``_put`` appends to them
        return np.flatnonzero(np.bincount(ids) >= needed).tolist()


_index = SketchIndex()


def most_similar(candidate: tuple[int, ...]) -> neardup.NearMatch | None:
    return _index.best_match(candidate)
