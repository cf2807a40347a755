"""Every match of a compiled query scored at once: the floats Whoosh's matchers give.

Why: Whoosh scores a query one document at a time through its matcher tree (a
Python call per posting per node), and a first ask, a filtered ask and a whole
ranking all went that way: under ``make load`` at 10,000 reports that was most of
the search CPU (``score_docs`` ~260 ms, a ranking ~400-800 ms for a common word;
docs/benchmarks.md, "Issue 18 targets, stop 20"). Here each term's postings
become two arrays (document numbers, BM25F scores), and each query node combines
its parts' arrays as the matcher Whoosh would build for that segment combines
their scores:

- a term: ``BM25FScorer._score(weight, length)`` (the ``bm25`` expression, the
  same IEEE operations in the same order), times each wrapper's boost;
- ``Or`` preloaded (``ArrayUnionMatcher``): the parts' scores times the boost added
  in part order from 0.0, documents whose sum is not positive left out;
- ``Or`` as a tree (``DefaultOr``) and ``And``: Whoosh's weighted tree of binary
  matchers, rebuilt from the same ``estimate_size`` weights (ties as Whoosh's sort
  leaves them);
- ``AndMaybe``: the required part's score plus the optional part's where it matches;
  ``AndNot``: the base's documents not excluded;
- a phrase (``AdjacentPhrase``): its words' intersection summed as
  ``make_binary_tree`` nests it, in the documents where its words stand adjacent
  (search/whoosh_phrases.py; positions read only among ``among`` when given).

What is kept (search/whoosh_kept.py): a term's postings per segment across
searchers (a commit adds a segment and keeps the others), its scores and a node's
arrays per searcher (idf and average lengths are the whole index's).

Floating-point addition is commutative but not associative, so only the nesting
matters and it is Whoosh's. Any other node (or a scorer other than the archive's
BM25F) raises ``Unsupported`` and the caller asks Whoosh.
``tests/test_search_bulk.py`` compares every query of the bench and judged mixes
with ``searcher.search(limit=None)`` float for float, over one and several segments.
"""

from __future__ import annotations

from bisect import insort

import numpy as np
from whoosh import query as wq
from whoosh.matching import NullMatcherClass
from whoosh.searching import Searcher

from search import whoosh_leaves
from search.whoosh_kept import kept_on, segment_memo
from search.whoosh_matchers import AdjacentPhrase, PreloadingOr
from search.whoosh_phrases import Unsupported, held, phrase_words

__all__ = ["PhraseCandidates", "Scored", "Unsupported", "matched", "scored_matches"]
from search.whoosh_scoring import _field_lengths, _Scorer

#: set False to leave every query to Whoosh's matchers (tests compare).
ENABLED = True
#: terms whose arrays a segment searcher keeps (least recently used evicted).
MAX_KEPT_TERMS = 4096
#: query nodes whose arrays a segment searcher keeps.
MAX_KEPT_NODES = 2048
_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
for _array in _EMPTY:
    _array.flags.writeable = False

Scored = tuple[np.ndarray, np.ndarray]  # ascending document numbers, their scores


def scored_matches(searcher: Searcher, query: wq.Query, among: set[int] | None = None) -> Scored:
    """Global document numbers (ascending) of every match of ``query``, with the
    score Whoosh's ``searcher.search`` gives each; with ``among``, only those of
    ``among`` (positions of phrases are then read there alone)."""
    if not ENABLED:
        raise Unsupported("bulk scoring is off")
    context = searcher.context()
    found: list[Scored] = []
    for sub, offset in searcher.leaf_searchers():
        local = None
        if among is not None:
            local = _local(among, offset, sub.doc_count_all())
            if not len(local):
                continue
        ids, scores = _scored(query, sub, context, local)
        if local is not None:
            keep = np.isin(ids, local, assume_unique=True)
            ids, scores = ids[keep], scores[keep]
        found.append((ids + offset, scores))
    if not found:
        return _EMPTY
    return np.concatenate([i for i, _ in found]), np.concatenate([s for _, s in found])


def matched(searcher: Searcher, query: wq.Query) -> np.ndarray:
    """Global document numbers (ascending) ``query`` matches: ``scored_matches``
    without the optional parts (an ``AndMaybe``'s phrase decides scores, not
    matches, so its positions are not read here)."""
    return scored_matches(searcher, _required(query))[0]


def _required(q: wq.Query) -> wq.Query:
    if type(q) is wq.AndMaybe:
        return _required(q.a)
    return q if q.is_leaf() else q.apply(_required)


def _local(among: set[int], offset: int, count: int) -> np.ndarray:
    docs = np.fromiter(among, dtype=np.int64, count=len(among)) - offset
    return np.sort(docs[(docs >= 0) & (docs < count)])


def _scored(q: wq.Query, sub: Searcher, context, among: np.ndarray | None) -> Scored:
    """``q``'s matches in one segment searcher and their scores (module docstring),
    kept per segment searcher when asked of the whole segment: a common word's
    union (text, grams, title) is part of most queries."""
    if among is not None or type(q) is wq.Term:  # a term is kept by ``_term``
        return _compute(q, sub, context, among)
    return kept_on(
        sub,
        "_archive_bulk_nodes",
        repr(q),
        lambda: _frozen(_compute(q, sub, context, None)),
        MAX_KEPT_NODES,
    )


def _frozen(found: Scored) -> Scored:
    """Arrays kept and shared between queries: made read-only, so none is changed."""
    for array in found:
        array.flags.writeable = False
    return found


def _compute(q: wq.Query, sub: Searcher, context, among: np.ndarray | None) -> Scored:
    if q is wq.NullQuery:
        return _EMPTY
    if type(q) is wq.Term:
        return _term(q, sub, context)
    if type(q) is AdjacentPhrase:
        return _phrase(q, sub, context, among)
    if type(q) is PhraseCandidates:
        return _phrase(q, sub, context, among, check=False)
    if isinstance(q, wq.CompoundQuery) and len(q.subqueries) == 1:
        return _scored(q.subqueries[0], sub, context, among)  # Whoosh drops the boost too
    if type(q) in (wq.Or, PreloadingOr) and not q.minmatch and not q.scale:
        return _union(q, sub, context, among)
    if type(q) is wq.And:
        parts = [(-_weight(p, sub), _scored(p, sub, context, among)) for p in q.subqueries]
        return _boosted(_weighted_tree(parts, _intersect), q.boost)
    if type(q) is wq.AndMaybe:
        ids, scores = _scored(q.a, sub, context, among)
        narrowed = ids if among is None else np.intersect1d(ids, among, assume_unique=True)
        b_ids, b_scores = _scored(q.b, sub, context, narrowed)
        _, ia, ib = np.intersect1d(ids, b_ids, assume_unique=True, return_indices=True)
        scores = scores.copy()
        scores[ia] = scores[ia] + b_scores[ib]
        return ids, scores
    if type(q) is wq.AndNot:
        ids, scores = _scored(q.a, sub, context, among)
        excluded, _ = _scored(q.b, sub, context, ids)
        keep = ~np.isin(ids, excluded, assume_unique=True)
        return ids[keep], scores[keep]
    raise Unsupported(type(q).__name__)


def _union(q: wq.Or, sub: Searcher, context, among: np.ndarray | None) -> Scored:
    """``Or``: preloaded (``PreloadingOr._needs_tree`` false) or a tree of unions."""
    tree = q.matcher_type != q.AUTO_MATCHER
    if type(q) is PreloadingOr and not tree:
        tree = q._needs_tree(q.subqueries, sub, context)
    elif not tree:
        tree = len(q.subqueries) < q.TOO_MANY_CLAUSES and (
            context.needs_current or len(q.subqueries) == 2 or sub.doc_count_all() > 5000
        )
    if tree:
        if q.matcher_type not in (q.AUTO_MATCHER, q.DEFAULT_MATCHER):
            raise Unsupported(f"Or matcher_type {q.matcher_type}")
        parts = [(_weight(p, sub), _scored(p, sub, context, among)) for p in q.subqueries]
        return _boosted(_weighted_tree(parts, _union_pair), q.boost)
    total = np.zeros(sub.doc_count_all(), dtype=np.float64)
    for part in q.subqueries:
        ids, scores = _scored(part, sub, context, among)
        total[ids] += scores * q.boost  # each part's documents are distinct
    ids = np.flatnonzero(total > 0)
    return ids, total[ids]


def _weight(q: wq.Query, sub: Searcher) -> int:
    """What Whoosh weighs a tree's parts by (``And`` by its negative)."""
    return q.estimate_size(sub.reader())


def _weighted_tree(parts: list[tuple[int, Scored]], combine) -> Scored:
    """``whoosh.util.make_weighted_tree``: the two lightest joined, again and again.

    Whoosh sorts ``(weight, matcher)`` pairs, and ``Matcher.__lt__`` makes two
    tied pairs neither less than the other: a stable sort by weight, and ``insort``
    puts a joined pair after those of equal weight. So do these.
    """
    ls = sorted(parts, key=_first)
    while len(ls) > 1:
        (wa, a), (wb, b) = ls.pop(0), ls.pop(0)
        insort(ls, (wa + wb, combine(a, b)), key=_first)
    return ls[0][1]


def _first(part: tuple[int, Scored]) -> int:
    return part[0]


def _binary_tree(parts: list[Scored], combine) -> Scored:
    """``whoosh.util.make_binary_tree``: halves, left first."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return combine(_binary_tree(parts[:half], combine), _binary_tree(parts[half:], combine))


def _intersect(a: Scored, b: Scored) -> Scored:
    """``IntersectionMatcher``: documents in both, ``a.score() + b.score()``.

    The smaller side is found in the larger by binary search: both are ascending
    and distinct, and ``np.intersect1d`` sorted them together again."""
    ia, ib = _meeting(a[0], b[0])
    return a[0][ia], a[1][ia] + b[1][ib]


def _meeting(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``a`` and into ``b`` (ascending, distinct) of their common values."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small) or not len(large):
        return _NO_INDEXES, _NO_INDEXES
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    hit = large[at] == small
    pair = np.flatnonzero(hit), at[hit]
    return pair if small is a else pair[::-1]


_NO_INDEXES = np.zeros(0, dtype=np.int64)


def _union_pair(a: Scored, b: Scored) -> Scored:
    """``UnionMatcher``: documents in either; in both, ``a.score() + b.score()``.

    Marked in arrays as long as the segment's highest document: ``np.union1d``
    hashed or sorted the two lists again (~6 ms a common word's union at 30,000
    reports). A score is stored, then the other added: ``a + b`` as before."""
    if not len(a[0]) or not len(b[0]):
        return b if not len(a[0]) else a
    size = int(max(a[0][-1], b[0][-1])) + 1
    inside = np.zeros(size, dtype=bool)
    inside[a[0]] = True
    inside[b[0]] = True
    total = np.zeros(size, dtype=np.float64)
    total[a[0]] = a[1]
    total[b[0]] += b[1]
    ids = np.flatnonzero(inside)
    return ids, total[ids]


def _boosted(found: Scored, boost: float) -> Scored:
    """A compound's ``WrappingMatcher(m, boost)``: only when the boost is not 1."""
    return found if boost == 1.0 else (found[0], found[1] * boost)


def _phrase(
    q: AdjacentPhrase, sub: Searcher, context, among: np.ndarray | None, check: bool = True
) -> Scored:
    """``AdjacentPhrase``: its words' intersection, in the documents holding them
    adjacent (``check=False``: in every document holding the words, the bound
    ``top_matches`` ranks by)."""
    setup = phrase_words(q, sub)
    if setup is None:
        return _EMPTY
    words, offsets = setup
    ids, scores = _binary_tree(
        [_term(wq.Term(q.fieldname, w), sub, context) for w in words], _intersect
    )
    if among is not None:
        keep = np.isin(ids, among, assume_unique=True)
        ids, scores = ids[keep], scores[keep]
    if check:
        holding = held(sub, q.fieldname, words, offsets, ids)
        ids, scores = ids[holding], scores[holding]
    return _boosted((ids, scores), q.boost)


class PhraseCandidates(AdjacentPhrase):
    """A phrase's words, scored as the phrase, its positions not checked."""


def _term(q: wq.Term, sub: Searcher, context) -> Scored:
    """A term's documents and scores in one segment searcher, kept per searcher (its
    wrappers' boosts are the term's own and 1.0 for the segment's deletions)."""
    key = (q.fieldname, q.text, q.boost)
    return kept_on(
        sub, "_archive_bulk_terms", key, lambda: _frozen(_read(q, sub, context)), MAX_KEPT_TERMS
    )


def _read(q: wq.Term, sub: Searcher, context) -> Scored:
    m = q.matcher(sub, context)
    if isinstance(m, NullMatcherClass):
        return _EMPTY
    found = whoosh_leaves.leaf(m)
    if found is None or type(found.matcher.scorer) is not _Scorer:
        raise Unsupported("a term Whoosh scores its own way")
    return _read_term(found, sub)


def _read_term(found: whoosh_leaves.Leaf, sub: Searcher) -> Scored:
    """Every live posting's document and ``bm25(...)`` score."""
    m = found.matcher
    docs, tf = _segment_postings(sub, m)
    if found.deleted:
        keep = ~np.isin(docs, np.fromiter(found.deleted, dtype=np.int64))
        docs, tf = docs[keep], tf[keep]
    scorer = m.scorer
    fl = _lengths(sub, scorer.fieldname)[docs]
    idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1  # noqa: N806
    scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    for boost in found.boosts:
        scores = scores * boost
    return docs, scores


def _segment_postings(sub: Searcher, m) -> tuple[np.ndarray, np.ndarray]:
    """All of the term's postings in the segment, deleted documents included."""
    segment = sub.reader().segment()
    term = getattr(m, "_term", None)
    key = None
    if segment is not None and term is not None:
        key = (segment.segment_id(), sub.doc_count_all(), term)
        found = segment_memo.get(key)
        if found is not None:
            return found
    ids, weights = [], []
    while m.is_active():
        ids.append(np.asarray(whoosh_leaves._block_ids(m), dtype=np.int64)[: m._blocklength])
        weights.append(
            np.asarray(whoosh_leaves._block_weights(m), dtype=np.float64)[: m._blocklength]
        )
        m._next_block()
    found = _frozen(
        (
            np.concatenate(ids) if ids else _EMPTY[0],
            np.concatenate(weights) if weights else _EMPTY[1],
        )
    )
    if key is not None:
        segment_memo.put(key, found, found[0].nbytes + found[1].nbytes)
    return found


def _lengths(sub: Searcher, fieldname: str) -> np.ndarray:
    """The field's per-document lengths as the scorer reads them (``_field_lengths``)."""
    lengths: dict = sub.__dict__.setdefault("_archive_bulk_lengths", {})
    if fieldname not in lengths:
        lengths[fieldname] = np.asarray(_field_lengths(sub, fieldname), dtype=np.float64)
    return lengths[fieldname]
