"""A term's postings read a block at a time: the same documents and scores, in bulk.

Whoosh steps through a term's postings one Python call at a time (``is_active``,
``id``, ``score``, ``next`` on ``W3LeafMatcher``, and again on every wrapper). A
union of a common word's terms (text:人才 | grams:人才 | title:人才) does that for
most documents of the archive, and the matching set of a query does it for every
term: at 10,000 reports, half of a first ask of 高层次人才引进 or 高校毕业生 就业
(profile in docs/benchmarks.md, "Search first asks, stop 18").

Here the decoded block arrays (ids, weights) are read directly. A document's score
is the very expression Whoosh evaluates for it: the scorer's ``_score(weight,
length)`` (``WeightLengthScorer.score``), times each wrapper's boost from the
inside out (``WrappingMatcher.score``), times the union's boost. Deleted documents
(``FilterMatcher(exclude=True)``, what ``SegmentReader.postings`` wraps a leaf in)
are skipped as Whoosh skips them. Anything else (a phrase, another scorer, a
filter that includes) is not a ``Leaf`` and goes Whoosh's way.
``tests/search/test_whoosh_leaves.py`` proves the same arrays and sets.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher, WrappingMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer

#: set False to read every posting through Whoosh's matcher methods (tests compare).
ENABLED = True


@dataclass(frozen=True)
class Leaf:
    """A term's posting matcher under its wrappers: what a union adds per posting."""

    matcher: W3LeafMatcher
    boosts: tuple[float, ...]  # each wrapper's boost, innermost first
    deleted: frozenset[int] | set[int]


def leaf(m: Matcher) -> Leaf | None:
    """``m`` as a ``Leaf`` when its score is ``_score(weight, length)`` times boosts."""
    if not ENABLED:
        return None
    boosts: list[float] = []
    deleted: set[int] | frozenset[int] = frozenset()
    while type(m) in (WrappingMatcher, FilterMatcher):
        if type(m) is FilterMatcher:
            if not m._exclude or deleted:
                return None
            deleted = m._ids
        boosts.append(m.boost)
        m = m.child
    if type(m) is not W3LeafMatcher or not _plain_scorer(m.scorer):
        return None
    return Leaf(m, tuple(reversed(boosts)), deleted)


def _plain_scorer(scorer: object) -> bool:
    """No scorer (a boolean search) or one whose ``score`` is Whoosh's
    ``WeightLengthScorer.score`` over a BM25F ``_score``."""
    if scorer is None:
        return True
    cls = type(scorer)
    return (
        isinstance(scorer, BM25FScorer)
        and cls.score is WeightLengthScorer.score
        and cls._score is BM25FScorer._score
    )


def add_scores(found: Leaf, a: array, offset: int, limit: int, boost: float, scored: bool) -> None:
    """``ArrayUnionMatcher._read_part`` for one leaf: its postings below ``limit``
    added into ``a`` (slot = docnum - offset), the matcher left at the first after."""
    m = found.matcher
    scorer, deleted = m.scorer, found.deleted
    while m.is_active():
        ids, i, n = _block_ids(m), m._i, m._blocklength
        end = bisect_left(ids, limit, i, n)
        if scored:
            weights = _block_weights(m)
            score, length = scorer._score, scorer.dfl
            for k in range(i, end):
                d = ids[k]
                if d in deleted:
                    continue
                s = score(weights[k], length(d))
                for b in found.boosts:
                    s = s * b
                a[d - offset] += s * boost
        else:
            for k in range(i, end):
                if ids[k] not in deleted:
                    a[ids[k] - offset] = 1
        if end < n:
            m._i = end
            while deleted and m.is_active() and m.id() in deleted:
                m.next()  # where the FilterMatcher would stand
            return
        m._next_block()


def docnums(found: Leaf) -> list[int]:
    """Every (undeleted) document of the leaf from its current posting on."""
    m, deleted = found.matcher, found.deleted
    out: list[int] = []
    while m.is_active():
        ids = _block_ids(m)
        block = ids[m._i : m._blocklength]
        out.extend(block if not deleted else [d for d in block if d not in deleted])
        m._next_block()
    return out


def _block_ids(m: W3LeafMatcher):
    if m._ids is None:
        m._read_ids()
    return m._ids


def _block_weights(m: W3LeafMatcher):
    if m._weights is None:
        m._read_weights()
    return m._weights
