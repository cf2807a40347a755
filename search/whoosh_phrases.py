"""Where a phrase's words stand adjacent, read from their positions in bulk.

``AdjacentPhrase`` (slop 1) matches a document where some ``p`` has word ``i`` at
``p + i`` for every ``i`` (``_AdjacentMatcher._adjacent_spans``). Whoosh moves a
phrase matcher through every candidate, an intersection of matchers and a span
list per document; here each word's positions are decoded only in the posting
blocks holding a candidate, and each document's answer is kept per segment (a
document's positions never change) in one byte: a phrase's positions are read
once per document and process (search/whoosh_bulk.py uses it).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search import whoosh_leaves
from search.whoosh_kept import kept_on, segment_memo
from search.whoosh_matchers import AdjacentPhrase, bigram_chain_offsets, is_grams

#: phrases whose per-document answers a searcher of no single segment keeps.
MAX_KEPT_PHRASES = 256


class Unsupported(Exception):
    """A phrase Whoosh matches its own way (another slop, offsets in the postings)."""


def phrase_words(q: AdjacentPhrase, sub: Searcher) -> tuple[list[bytes], tuple[int, ...]] | None:
    """The phrase's words as the segment's terms and the offsets whose positions
    decide it; None when a word is not in the segment (no match there)."""
    field_type = sub.schema[q.fieldname] if q.fieldname in sub.schema.names() else None
    fmt = field_type.format if field_type is not None else None
    if q.slop != 1 or not fmt or not fmt.supports("positions") or fmt.supports("characters"):
        raise Unsupported("a phrase Whoosh matches its own way")
    words = []
    for word in q.words:
        try:
            word = field_type.to_bytes(word)
        except ValueError:
            return None
        if (q.fieldname, word) not in sub.reader():
            return None
        words.append(word)
    offsets = (bigram_chain_offsets(q.words) if is_grams(field_type) else None) or range(len(words))
    return words, tuple(offsets)


def held(
    sub: Searcher, fieldname: str, words: list[bytes], offsets: tuple[int, ...], docs: np.ndarray
) -> np.ndarray:
    """Which of ``docs`` (holding every word) have word ``i`` at ``p + i`` for some
    ``p``, checked at ``offsets`` (``_AdjacentMatcher._adjacent_spans``). Each answer
    is kept per segment (a document's positions never change), across searchers:
    a phrase's positions are read once per document and process."""
    states = _phrase_states(sub, (fieldname, tuple(words), offsets))
    todo = docs[states[docs] == _UNKNOWN].tolist()
    if todo:
        read = [_positions(sub, fieldname, words[i], todo) for i in offsets]
        for d in todo:
            starts: set[int] | None = None
            for offset, positions in zip(offsets, read, strict=True):
                shifted = {p - offset for p in positions[d]}
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            states[d] = _HELD if starts else _NOT_HELD
    return states[docs] == _HELD


_UNKNOWN, _HELD, _NOT_HELD = 0, 1, 2


def _phrase_states(sub: Searcher, phrase: tuple) -> np.ndarray:
    """One byte per document of the segment: the phrase unknown, held or not held
    there (a searcher of no single segment keeps its own)."""
    segment = sub.reader().segment()
    if segment is None:
        return kept_on(sub, "_archive_bulk_phrases", phrase, lambda: _states(sub), MAX_KEPT_PHRASES)
    key = (segment.segment_id(), sub.doc_count_all(), phrase)
    found = segment_memo.get(key)
    if found is None:
        found = _states(sub)
        segment_memo.put(key, found, found.nbytes)
    return found


def _states(sub: Searcher) -> np.ndarray:
    return np.zeros(sub.doc_count_all(), dtype=np.uint8)


def _positions(sub: Searcher, fieldname: str, word: bytes, docs: list[int]) -> dict[int, list]:
    """``word``'s positions in each of ``docs`` (ascending, all holding it), decoded
    only in the posting blocks that hold one of them."""
    m = wq.Term(fieldname, word).matcher(sub, sub.boolean_context())
    found = whoosh_leaves.leaf(m)
    if found is None:
        raise Unsupported("postings Whoosh reads its own way")
    lm, want = found.matcher, np.asarray(docs, dtype=np.int64)
    decode = lm.format.decoder("positions")
    out: dict[int, list] = {}
    while lm.is_active() and len(out) < len(docs):
        block = np.asarray(whoosh_leaves._block_ids(lm), dtype=np.int64)[: lm._blocklength]
        places = np.searchsorted(block, want)
        inside = places < len(block)
        hits = inside.copy()
        hits[inside] = block[places[inside]] == want[inside]
        if hits.any():
            if lm._values is None:
                lm._read_values()
            for place, d in zip(places[hits].tolist(), want[hits].tolist(), strict=True):
                out[d] = decode(lm._values[place])
        lm._next_block()
    return out


def held_anywhere(searcher: Searcher, phrase: AdjacentPhrase, docs: np.ndarray) -> np.ndarray:
    """``held`` for global document numbers (each segment's own)."""
    holding = np.zeros(len(docs), dtype=bool)
    for sub, offset in searcher.leaf_searchers():
        inside = (docs >= offset) & (docs < offset + sub.doc_count_all())
        if not inside.any():
            continue
        setup = phrase_words(phrase, sub)
        if setup is None:
            continue
        words, offsets = setup
        local = docs[inside] - offset
        order = np.argsort(local)
        found = np.zeros(len(local), dtype=bool)
        found[order] = held(sub, phrase.fieldname, words, offsets, local[order])
        holding[inside] = found
    return holding
