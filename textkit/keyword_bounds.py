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
        idf = CorpusStats(documents=documents, df=frequencies([t for t, _ in terms])).idf
        for term, count in terms:
            score = (1 + math.log(count)) * idf(term)
            if score > 0:
                scored.append((-round(score, 4), -count, term))
    return [Keyword(term, -score, -count) for score, count, term in heapq.nsmallest(limit, scored)]


def _none_can_enter(scored: list, count: int, documents: int, limit: int) -> bool:
    """Whether a term of ``count`` (or fewer) uses scores below the ``limit``-th best."""
    if documents <= 0:
        return True  # every IDF is 0: no term scores
    if len(scored) < limit:
        return False
    bound = (1 + math.log(count)) * math.log(documents)
    # Rounded as the scores are; a tie could still win on count, so strictly below.
    return -heapq.nsmallest(limit, scored)[-1][0] > round(bound * (1 + 1e-12), 4)
