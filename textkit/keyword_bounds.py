"""Distinctive keywords reading document frequencies only where they can matter.

``keywords.distinctive_terms`` scores every term of a city, so it needs every
term's document frequency: at 10,000 reports a large city has ~17,000 terms, and
reading their frequencies and scoring them was ~25 ms, paid after every save
anywhere in the archive (IDF moves with any report; issue 18 stop 19). A term's
score ``(1 + ln count) * ln(N / df)`` is at most ``(1 + ln count) * ln N`` (its df
is at least 1), so walking the terms most frequent first, once the ``limit``-th
best rounded score beats that bound for the next term, no later term can enter
the list: the rest are never read. Same list, same order, same scores as
``distinctive_terms`` (``tests/test_keyword_bounds.py`` holds them equal over
random corpora). At 10,200 reports the largest city reads ~3,500 of its ~16,700.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from textkit.keywords import CorpusStats, Keyword
from textkit.normalization import normalize

#: frequencies read per round trip (SQLite's parameter limit is well above it).
BATCH = 500


def ranked_terms(counts: dict[str, int]) -> list[tuple[str, int]]:
    """A city's (term, count) pairs most frequent first: the walk's order."""
    return sorted(((t, n) for t, n in counts.items() if n > 0), key=lambda tn: -tn[1])


def distinctive_terms_bounded(
    ranked: Sequence[tuple[str, int]],
    documents: int,
    frequencies: Callable[[list[str]], dict[str, int]],
    *,
    exclude: Iterable[str] = (),
    limit: int = 12,
    batch: int = BATCH,
) -> list[Keyword]:
    """``distinctive_terms(Counter(dict(ranked)), CorpusStats(documents, df), ...)``,
    asking ``frequencies`` for the df of ``batch`` terms at a time (module docstring)."""
    skip = {normalize(word) for word in exclude}
    scored: list[tuple[float, int, str]] = []
    for start in range(0, len(ranked), batch):
        if _none_can_enter(scored, ranked[start][1], documents, limit):
            break
        terms = [(t, n) for t, n in ranked[start : start + batch] if t not in skip]
        df = frequencies([t for t, _ in terms])
        idf = CorpusStats(documents=documents, df=df).idf
        for term, count in _contenders(terms, df, documents, scored, limit):
            score = (1 + math.log(count)) * idf(term)
            if score > 0:
                scored.append((-round(score, 4), -count, term))
    return [Keyword(term, -score, -count) for score, count, term in heapq.nsmallest(limit, scored)]


#: how far below the ``limit``-th best score a term's approximate score may be and
#: still be scored exactly: a rounded score is within 5e-5 of the exact one, and
#: numpy's and ``math``'s logarithms differ by far less than 1e-10 here.
_MARGIN = 2e-4


def _contenders(
    terms: list[tuple[str, int]],
    df: dict[str, int],
    documents: int,
    scored: list[tuple[float, int, str]],
    limit: int,
) -> list[tuple[str, int]]:
    """The terms of a batch that could still make the list, in the batch's order.

    Why: scoring each of a large city's ~2,700 walked terms in Python was half of its
    keywords' cost (issue 18 stop 24 profile). Numpy scores the batch at once; a term
    whose score is more than ``_MARGIN`` below the ``limit``-th best already scored
    (or the batch's own ``limit``-th best, less the margin again) can never enter,
    because that threshold only rises. Only the rest are scored exactly as before,
    so the list, its order and its scores are unchanged
    (``tests/test_keyword_bounds.py``).
    """
    if len(terms) <= limit or documents <= 0:
        return terms
    counts = np.fromiter((n for _, n in terms), dtype=np.float64, count=len(terms))
    dfs = np.fromiter((df.get(t, 0) for t, _ in terms), dtype=np.float64, count=len(terms))
    idf = np.zeros_like(dfs)
    known = dfs > 0
    idf[known] = np.log(documents / dfs[known])
    approx = (1 + np.log(counts)) * idf
    floor = -math.inf
    if len(scored) >= limit:
        floor = -heapq.nsmallest(limit, scored)[-1][0] - _MARGIN
    positive = approx[approx > 0]
    if len(positive) >= limit:
        kth = np.partition(positive, len(positive) - limit)[len(positive) - limit]
        floor = max(floor, float(kth) - 2 * _MARGIN)
    if floor == -math.inf:
        return terms
    return [terms[i] for i in np.flatnonzero(approx >= floor)]


def _none_can_enter(scored: list, count: int, documents: int, limit: int) -> bool:
    """Whether a term of ``count`` (or fewer) uses scores below the ``limit``-th best."""
    if documents <= 0:
        return True  # every IDF is 0: no term scores
    if len(scored) < limit:
        return False
    bound = (1 + math.log(count)) * math.log(documents)
    # Rounded as the scores are; a tie could still win on count, so strictly below.
    return -heapq.nsmallest(limit, scored)[-1][0] > round(bound * (1 + 1e-12), 4)
