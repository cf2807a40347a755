"""A query's matches kept, so each filter, sort and page of it costs little, and its
top exact.

Analysts (and ``make load``'s readers) ask the same words with ever other filters,
sorts and pages: at 10,000 reports 225 texts made thousands of distinct requests,
and each one scored its words again (issue 18: first asks, ~60 % of the load's CPU).
A query's scores do not depend on the filter (BM25 reads the whole index), and
the relevance order is a total order (search/whoosh_order.py), so a filtered
page is the full ranking with the filtered-out documents left out. The backend
keeps a query's matching set, and once it is asked again its whole ranking
(``rank_all``), in the shared cache per index state (search/result_memo.py); a
filtered ask with few candidates scores only them (``score_docs``); a first ask
takes the top of its matches (``top_page``). Each scores in bulk, every match at
once with the floats Whoosh's matchers give (search/whoosh_bulk.py), and falls
back to Whoosh's own collectors for a query that module does not model.

Why ``keep_every_match``: Whoosh's top-N collector lost the best documents. It
prunes the matcher tree by each part's score bound (``replace``), and the bounds
were wrong (an array union answered the highest of its parts' bounds where it
adds their scores: ``_ArrayUnion.max_quality``), so at 10,000 reports 42 of 48
common queries had other first-20 scores than their full ranking (安家补贴's best
report, 58.3, was not on its first page); with the bound fixed, 6 still did. With
no pruning, none (docs/benchmarks.md, "Issue 18 targets, stop 19").
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import wraps

import numpy as np
from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from search import whoosh_bulk, whoosh_top
from search.whoosh_collect import docs_among, filter_query, landed
from search.whoosh_order import TIE_MARGIN, by_date, by_relevance, relevance_order, settled


@dataclass(frozen=True)
class Ranked:
    """Every document a query matches, best first, with its score (arrays: small
    to pickle into the shared cache, ~12 bytes a match)."""

    docnums: array
    scores: array

    def matching(self) -> set[int]:
        return set(self.docnums)

    def page(self, allowed: set[int], offset: int, limit: int) -> list[tuple[float, int]]:
        """(score, docnum) of places ``offset`` to ``offset + limit`` among ``allowed``."""
        found: list[tuple[float, int]] = []
        if limit <= 0:
            return found
        seen = 0
        for docnum, score in zip(self.docnums, self.scores, strict=True):
            if docnum not in allowed:
                continue
            if seen >= offset:
                found.append((score, docnum))
                if len(found) == limit:
                    break
            seen += 1
        return found


def rank_all(searcher: Searcher, query) -> Ranked:
    """Score every match (in bulk, else Whoosh's unlimited collector) in order."""
    found = bulk_ranked(searcher, query)
    if found is not None:
        docnums, scores = found
        return Ranked(array("i", docnums.astype(np.int32).tobytes()), array("d", scores.tobytes()))
    ranked = by_relevance(searcher.search(query, limit=None).top_n, searcher)
    return Ranked(array("i", (d for _, d in ranked)), array("d", (s for s, _ in ranked)))


def bulk_ranked(
    searcher: Searcher, query, among: set[int] | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Document numbers and scores of the matches (of ``among`` when given) in
    relevance order, scored in bulk (search/whoosh_bulk.py); None where that
    module leaves a query to Whoosh."""
    try:
        docs, scores = whoosh_bulk.scored_matches(searcher, query, among)
    except whoosh_bulk.Unsupported:
        return None
    order = relevance_order(docs, scores, searcher)
    return docs[order], scores[order]


def _order(searcher: Searcher):
    """``relevance_order`` for this searcher, as ``whoosh_top.top_matches`` takes it."""
    return lambda docnums, scores: relevance_order(docnums, scores, searcher)


def _pairs(found: tuple[np.ndarray, np.ndarray]) -> list[tuple[float, int]]:
    return list(zip(found[1].tolist(), found[0].tolist(), strict=True))


def score_docs(searcher: Searcher, query, docnums: set[int]) -> list[tuple[float, int]]:
    """(score, docnum) of each of ``docnums`` (documents ``query`` matches), best first.

    In bulk (search/whoosh_bulk.py) where it can. Else, for a filtered first ask:
    a province leaves a few hundred of a common word's
    thousands of matches, and moving the matcher to each of them scores only those
    (an optional phrase is checked in them alone). The matcher is the one Whoosh's
    collector builds (same context), so every score is the very float a full
    ranking gives.
    """
    found = bulk_ranked(searcher, query, docnums)
    if found is not None:
        return _pairs(found)
    scored = [
        (m.score(), d) for d, m in landed(searcher, query, sorted(docnums), searcher.context())
    ]
    return by_relevance(scored, searcher)


def top_page(searcher: Searcher, query, docnums: set[int], offset: int, limit: int):
    """(score, docnum) of places ``offset`` to ``offset + limit`` among ``docnums``
    (documents ``query`` matches): in bulk (``whoosh_top.top_matches``), else
    Whoosh's top-N collector, which skips blocks
    that cannot reach the page, and a margin for ties at the page's edge (all of
    them scored when the margin does not settle it).

    An ANDMAYBE (the words, and optionally their verbatim phrase: ``Preferring``)
    scores the phrase in every document the words match, a position check each;
    here the documents holding the phrase are scored one by one (its set is a
    boolean pass) and the others are ranked by the words alone, which is their
    whole score (``AndMaybeMatcher.score``): the same floats, the same top.
    """
    wanted = min(offset + limit, len(docnums))
    if offset >= wanted:
        return []
    try:
        docs, scores = whoosh_top.top_matches(searcher, query, docnums, wanted, _order(searcher))
    except whoosh_bulk.Unsupported:
        pass
    else:
        return _pairs((docs[offset:wanted], scores[offset:wanted]))
    if isinstance(query, wq.AndMaybe):
        held = docs_among(searcher, query.b, docnums)
        ranked = score_docs(searcher, query, held)
        ranked += top_page(searcher, query.a, docnums - held, 0, wanted)
        return by_relevance(ranked, searcher)[offset : offset + limit]
    collect = wanted + TIE_MARGIN
    ranked = by_relevance(searcher.search(query, limit=collect, filter=docnums).top_n, searcher)
    if not settled(ranked, wanted, collected_all=len(ranked) < collect):
        ranked = by_relevance(searcher.search(query, limit=None, filter=docnums).top_n, searcher)
    return ranked[offset : offset + limit]


def allowed_docs(searcher: Searcher, filters: dict[str, list[str]], years) -> frozenset[int] | None:
    """The documents the exact filters let through (None: no filter).

    Each field's filter (and the year range) is read once per searcher and kept
    alone, and a request intersects them: readers combine a province, a type and
    a year range in hundreds of ways, and a memo of whole combinations missed on
    most of them (``make load``), while each part is asked again and again.
    """
    parts = [({name: values}, (None, None)) for name, values in sorted(filters.items())]
    if any(years):
        parts.append(({}, years))
    sets = [docs for p in parts if (docs := _filter_docs(searcher, *p)) is not None]
    found: frozenset[int] | None = None
    for docs in sorted(sets, key=len):
        found = docs if found is None else found & docs  # the kept sets are never changed
    return found


def _filter_docs(searcher: Searcher, filters: dict[str, list[str]], years) -> frozenset[int] | None:
    query = filter_query(filters, years)
    if query is None:
        return None
    memo: dict = searcher.__dict__.setdefault("_archive_filter_docs", {})
    key = repr(query)
    if key not in memo:
        if len(memo) >= 256:
            memo.clear()
        memo[key] = frozenset(searcher.docs_for_query(query))
    return memo[key]


def date_page(searcher: Searcher, docnums: set[int], *, newest: bool, offset: int, limit: int):
    """``by_date(docnums)[offset : offset + limit]`` sorted by one integer per
    document: each document's place in the whole index's date order is computed
    once per searcher, instead of a tuple key per match on every request."""
    attribute = "_archive_newest_rank" if newest else "_archive_oldest_rank"
    rank = getattr(searcher, attribute, None)
    if rank is None:
        rank = array("i", [0]) * searcher.doc_count_all()
        for place, docnum in enumerate(by_date(range(len(rank)), searcher, newest=newest)):
            rank[docnum] = place
        setattr(searcher, attribute, rank)
    return sorted(docnums, key=rank.__getitem__)[offset : offset + limit]


def keep_every_match() -> None:
    """Whoosh's scored collectors never replace their matcher by a pruned one.

    ``ScoredCollector(replace=10)`` swaps the matcher tree every ten matches for
    one without the parts whose score bound cannot beat the lowest kept score;
    with a wrong bound it drops documents that would have been kept (module
    docstring; whoosh-community/whoosh#413 and #122, both "results differ with
    limit"). Without it a top-N search is exact; it is slower where the wrong
    pruning did the work (an ANDMAYBE compound's first ask: docs/benchmarks.md).
    """
    init = collectors.ScoredCollector.__init__
    if getattr(init, "_archive_keeps_every_match", False):
        return

    @wraps(init)
    def without_replacing(self, replace: int = 0) -> None:
        init(self, replace=0)

    without_replacing._archive_keeps_every_match = True  # type: ignore[attr-defined]
    collectors.ScoredCollector.__init__ = without_replacing
