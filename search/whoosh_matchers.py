"""Whoosh matchers behind search.whoosh_query's phrases and unions, faster, same answers.

Kept apart from the parser: these subclass Whoosh internals (``SpanNear2Matcher``,
``ArrayUnionMatcher``) line for line but for the one step each speeds up, and
tests/test_search_speed_equivalence.py swaps Whoosh's own code back in to prove
the same documents, spans, scores and facets on the seed reports.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import Matcher
from whoosh.query.spans import Span
from whoosh.searching import SearchContext, Searcher

import textkit
from search import whoosh_leaves
from search.whoosh_schema import GramsTokenizer

#: phrases whose matching spans a segment searcher remembers (``_phrase_memo``).
MAX_REMEMBERED_PHRASES = 256


class _AdjacentMatcher(wq.SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher with its position check done on integer sets.

    ``SpanNear2`` (slop 1, ordered, mindist 1) over single-position term spans
    matches where some ``p`` has term ``i`` at ``p + i`` for every ``i``, and
    its spans are then ``Span(p, p + n - 1)``. Whoosh finds them with ``Span``
    objects, a bisect and a set per pair of terms: half of an unspaced or a
    phrase query's time (profile of the bench query mix). The documents, spans
    and scores (the intersection's, untouched) are the same;
    ``tests/test_search_speed_equivalence.py`` proves it.

    ``memo`` (docnum -> spans, kept per segment searcher until the index
    changes) holds the answers already found: the finer-cut phrase of a common
    word (人才 -> 人+才) is part of every query with that word, and reading its
    positions in every document was a third of such a query (bench query mix:
    p50 -15 to -40 % once the words were seen; no gain within one request).
    """

    def __init__(
        self,
        ms: list[Matcher],
        slop: int = 1,
        ordered: bool = True,
        mindist: int = 1,
        memo: dict[int, list[Span]] | None = None,
        checked: tuple[int, ...] | None = None,
    ) -> None:
        self._memo: dict[int, list[Span]] | None = memo  # before Whoosh's first _find_next
        self._checked = checked  # offsets whose positions decide (``bigram_chain_offsets``)
        super().__init__(ms, slop=slop, ordered=ordered, mindist=mindist)

    def copy(self) -> _AdjacentMatcher:
        return self.__class__([m.copy() for m in self.ms], memo=self._memo, checked=self._checked)

    def _get_spans(self) -> list[Span]:
        if self._memo is None:
            return self._adjacent_spans()
        docnum = self.id()
        spans = self._memo.get(docnum)
        if spans is None:
            spans = self._memo[docnum] = self._adjacent_spans()
        return list(spans)  # Whoosh's Span.merge edits lists in place

    def _adjacent_spans(self) -> list[Span]:
        """The spans of the current document, from its terms' positions."""
        plain = self.__dict__.get("_plain")
        if plain is None:  # once per matcher: the terms' formats do not change
            plain = self._plain = all(
                m.supports("positions") and not m.supports("characters") for m in self.ms
            )
        if not plain:
            return super()._get_spans()  # spans with offsets: Whoosh's way
        offsets = self._checked or range(len(self.ms))
        starts: set[int] | None = None
        for offset in offsets:
            shifted = {p - offset for p in self.ms[offset].value_as("positions")}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(p, p + last) for p in sorted(starts or ())]


class AdjacentPhrase(wq.Phrase):
    """``wq.Phrase`` (slop 1) whose matcher checks positions with integer sets."""

    def matcher(self, searcher: Searcher, context: SearchContext | None = None) -> Matcher:
        """Whoosh's ``Phrase.matcher``, with ``_AdjacentMatcher`` for the span check."""
        if self.slop != 1 or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        field_type = searcher.schema[self.fieldname]
        if not field_type.format or not field_type.format.supports("positions"):
            return super().matcher(searcher, context)  # raises Whoosh's QueryError
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field_type.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()  # a missing word: no phrase
            terms.append(wq.Term(self.fieldname, word))
        subs = [t.matcher(searcher, context) for t in terms]
        memo = _phrase_memo(searcher, (self.fieldname, tuple(self.words)))
        checked = bigram_chain_offsets(self.words) if is_grams(field_type) else None
        m = _AdjacentMatcher(subs, slop=1, ordered=True, mindist=1, memo=memo, checked=checked)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


def is_grams(field_type: object) -> bool:
    """A field analyzed by ``GramsTokenizer`` (a bigram at every adjacent Han pair)."""
    return isinstance(getattr(field_type, "analyzer", None), GramsTokenizer)


def bigram_chain_offsets(words: list[str] | tuple[str, ...]) -> tuple[int, ...] | None:
    """The offsets of a ``grams`` bigram chain whose positions decide the phrase.

    A chain 高质 质量 量发 发展 matches at ``p`` when each bigram ``i`` is at
    ``p + i``. In ``grams`` a bigram XY sits at p exactly when Han X is at p and
    Han Y at p + 1 (textkit.gram_terms), so 高质 at p and 量发 at p + 2 put 质
    at p + 1 next to 量 at p + 2: 质量 is at p + 1 by construction. Every
    second bigram and the last one decide; the others are still intersected
    (and scored) but their positions are never decoded: a phrase of n bigrams
    reads about half of them (issue 18). None when the words are not such a
    chain (Whoosh checks every offset).
    """
    if len(words) < 3 or not all(len(w) == 2 and textkit.is_han(w) for w in words):
        return None
    if any(a[1] != b[0] for a, b in zip(words, words[1:], strict=False)):
        return None
    last = len(words) - 1
    return tuple(sorted({*range(0, last, 2), last}))


def _phrase_memo(searcher: Searcher, key: tuple[str, tuple[str, ...]]) -> dict[int, list[Span]]:
    """The (segment) searcher's remembered spans of one phrase, least recent evicted.

    Searchers live until the index changes (``ArchiveWhooshBackend._searcher``),
    each in one thread, and document numbers are those of the searcher's segment.
    """
    memos: OrderedDict = searcher.__dict__.setdefault("_archive_phrase_spans", OrderedDict())
    memo = memos.pop(key, None)
    memos[key] = memo = {} if memo is None else memo
    while len(memos) > MAX_REMEMBERED_PHRASES:
        memos.popitem(last=False)
    return memo


class _ArrayUnion(matching.ArrayUnionMatcher):
    """Whoosh's ``ArrayUnionMatcher`` with its score array zeroed at C speed.

    Whoosh fills and clears a 2,048-slot array one Python assignment at a time
    for every part of every segment (segments hold ~100 documents): a third of
    the union's cost in the profile of the bench query mix. Same array, same
    values, same order of score additions: only the zeroing changed.
    """

    def __init__(
        self,
        submatchers: list[Matcher],
        doccount: int,
        boost: float = 1.0,
        scored: bool = True,
        partsize: int = 2048,
    ) -> None:
        matching.CombinationMatcher.__init__(self, submatchers, boost=boost)
        self._scored = scored
        self._doccount = doccount
        self._partsize = partsize or doccount
        self._zeros = array("d", bytes(8 * self._partsize))
        self._a = array("d", self._zeros)
        self._leaves = [whoosh_leaves.leaf(m) for m in submatchers]
        self._bound = sum(m.max_quality() for m in submatchers if m.is_active()) * boost
        self._docnum = self._min_id()
        self._read_part()

    def max_quality(self) -> float:
        """The highest score any document can get here: the sum of the parts' bounds.

        Whoosh's ``CombinationMatcher`` answers the highest of the parts' bounds, but
        this union adds its parts' scores, so a document matching several parts
        outscores that bound. A top-N collector trusts the bound (``replace`` drops
        parts, ``skip_to_quality`` skips) and lost the best reports: at 10,000
        reports 安家补贴's best (58.3) was not on its first page (whoosh-community/
        whoosh#413, "best result only when limit=None"; issue 18). The parts are
        read ahead into the array, so their own bounds are taken once, before.
        """
        return self._bound

    def _read_part(self) -> None:
        """Whoosh's ``_read_part``; the array cleared by one slice assignment."""
        boost = self._boost
        limit = min(self._docnum + self._partsize, self._doccount)
        offset = self._docnum
        a = self._a
        a[:] = self._zeros
        for m, found in zip(self._submatchers, self._leaves, strict=True):
            if found is not None:
                whoosh_leaves.add_scores(found, a, offset, limit, boost, self._scored)
                continue
            while m.is_active() and m.id() < limit:
                if self._scored:
                    a[m.id() - offset] += m.score() * boost
                else:
                    a[m.id() - offset] = 1
                m.next()
        self._offset = offset
        self._limit = limit


class PreloadingOr(wq.Or):
    """``wq.Or`` whose preloaded matcher (small segments) is ``_ArrayUnion``.

    Whoosh picks the matcher kind exactly as ``wq.Or`` does; every ``Or`` the
    parser builds is this class, so query normalization (which merges nested
    instances of the same class) is unchanged.
    """

    def _matcher(
        self, subs: list[wq.Query], searcher: Searcher, context: SearchContext | None
    ) -> Matcher:
        if self.matcher_type != self.AUTO_MATCHER or self._needs_tree(subs, searcher, context):
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        ms = [sub.matcher(searcher, context) for sub in subs]
        return _ArrayUnion(ms, searcher.doc_count_all(), boost=self.boost, scored=scored)

    def _needs_tree(
        self, subs: list[wq.Query], searcher: Searcher, context: SearchContext | None
    ) -> bool:
        """``wq.Or._matcher``'s test for a binary tree of unions (else preload)."""
        needs_current = context.needs_current if context else True
        return len(subs) < self.TOO_MANY_CLAUSES and bool(
            needs_current or self.scale or len(subs) == 2 or searcher.doc_count_all() > 5000
        )
