"""The first places of a ranking without scoring every match's optional phrase."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search.whoosh_bulk import PhraseCandidates, Scored, scored_matches
from search.whoosh_matchers import AdjacentPhrase
from search.whoosh_phrases import held_anywhere


def top_matches(
    searcher: Searcher, query: wq.Query, among: set[int] | None, wanted: int, order
) -> Scored:
    """The first ``wanted`` matches of ``query`` (of ``among``) in ``order`` (a
    function of (docnums, scores) giving their permutation, best first), exactly
    as ``scored_matches`` would rank them.

    For the words and their optional verbatim phrase (``AndMaybe``, an unspaced
    compound), a first page need not read the phrase's positions in every document
    holding the words (thousands for 高层次人才引进 at 10,000 reports): with the
    phrase's score added wherever its words are, each document's score is bounded
    from above; documents are checked in the order of that bound until the page's
    last is ahead of the next bound (a score only falls when checked, its ties
    broken by the same keys).
    """
    if type(query) is not wq.AndMaybe or type(query.b) is not AdjacentPhrase:
        return _head(scored_matches(searcher, query, among), wanted, order)
    docs, exact = scored_matches(searcher, query.a, among)
    b = query.b
    cand_docs, cand_scores = scored_matches(
        searcher, PhraseCandidates(b.fieldname, b.words, slop=b.slop, boost=b.boost), among
    )
    _, ia, ib = np.intersect1d(docs, cand_docs, assume_unique=True, return_indices=True)
    upper = exact.copy()
    upper[ia] = upper[ia] + cand_scores[ib]
    unchecked = np.zeros(len(docs), dtype=bool)
    unchecked[ia] = True
    ranked = order(docs, upper)
    scores = upper.copy()
    size = max(wanted, 1)
    while True:
        prefix = ranked[:size]
        todo = prefix[unchecked[prefix]]
        if len(todo):
            held = held_anywhere(searcher, b, docs[todo])
            scores[todo[~held]] = exact[todo[~held]]
            unchecked[todo] = False
        best = prefix[order(docs[prefix], scores[prefix])][:wanted]
        if size >= len(ranked) or _ahead(order, docs, scores, upper, best[-1], ranked[size]):
            return docs[best], scores[best]
        size *= 2


def _head(found: Scored, wanted: int, order) -> Scored:
    best = order(*found)[:wanted]
    return found[0][best], found[1][best]


def _ahead(order, docs, scores, upper, last: int, following: int) -> bool:
    """Whether the page's last (its exact score) comes before the next document by
    its bound: then every document after it by bound comes after the page."""
    pair = np.array([docs[last], docs[following]]), np.array([scores[last], upper[following]])
    return bool(order(*pair)[0] == 0)
