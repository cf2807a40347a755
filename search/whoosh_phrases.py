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

from itertools import chain
from pickle import loads

import numpy as np
from whoosh import query as wq
from whoosh.formats import Format, Positions
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

from search import whoosh_leaves
from search.whoosh_kept import kept_on, segment_memo
from search.whoosh_matchers import AdjacentPhrase, bigram_chain_offsets, is_grams
from search.whoosh_postings import (
    ARRAY16_MARK,
    ARRAY_MARK,
    DELTA_SIZE,
    ArrayPositions,
    IndexPositions,
)

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
    a phrase's positions are read once per document and process.

    Why in arrays: a common phrase's first ask decoded its words' positions in
    thousands of documents, one ``pickle.loads``, list and set per document and
    word ("高层次人才" at 10,000 reports: ~87,000 decodes, half of the ask; issue 18
    stop 22). Each word's positions in every document still in play are decoded
    at once (``positions_of``) as (document, start) keys, and the phrase holds
    where every word's keys meet: the same starts the per-document sets intersect.
    """
    states = _phrase_states(sub, (fieldname, tuple(words), offsets))
    todo = docs[states[docs] == _UNKNOWN]
    if len(todo):
        left: np.ndarray | None = None  # (document, start) keys every word so far has
        playing = todo
        span = _key_span(sub.doc_count_all())
        # the rarest words first: a common word is then decoded only in the
        # documents where the rarer ones already stand adjacent
        reader = sub.reader()
        for offset in sorted(offsets, key=lambda i: reader.frequency(fieldname, words[i])):
            found, positions = positions_of(sub, fieldname, words[offset], playing.tolist())
            # ascending and distinct: documents ascending, positions ascending in each
            keys = found * span + (positions - offset + span // 2)
            left = keys if left is None else _common(left, keys)
            playing = _distinct_sorted(left // span)
            if not len(playing):
                break
        states[todo] = _NOT_HELD
        states[playing] = _HELD
    return states[docs] == _HELD


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both ascending, distinct arrays, by binary search of the
    smaller in the larger (``np.intersect1d`` sorts both again)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(large):
        return large
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return small[large[at] == small]


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of an ascending array, without sorting (or hashing) it again."""
    if not len(values):
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _key_span(documents: int) -> int:
    """A (document, start) key is ``document * span + start + span // 2``, in an
    int64: a segment of a million documents leaves starts (a position less its
    word's offset, so -1 and up) 2**41 either side of 0."""
    return 1 << (62 - documents.bit_length())


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


def positions_of(
    sub: Searcher, fieldname: str, word: bytes, docs: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """``word``'s positions in each of ``docs`` (ascending, all holding it) as two
    arrays, a document and a position per posting, decoded only in the posting
    blocks that hold one of them."""
    m = wq.Term(fieldname, word).matcher(sub, sub.boolean_context())
    found = whoosh_leaves.leaf(m)
    if found is None:
        raise Unsupported("postings Whoosh reads its own way")
    lm, want = found.matcher, np.asarray(docs, dtype=np.int64)
    held_by: list[int] = []
    values: list[bytes] = []
    while lm.is_active() and len(held_by) < len(docs):
        block = np.asarray(whoosh_leaves._block_ids(lm), dtype=np.int64)[: lm._blocklength]
        places = np.searchsorted(block, want)
        inside = places < len(block)
        hits = inside.copy()
        hits[inside] = block[places[inside]] == want[inside]
        if hits.any():
            if lm._values is None:
                lm._read_values()
            block_values = lm._values
            values += [block_values[place] for place in places[hits].tolist()]
            held_by += want[hits].tolist()
        lm._next_block()
    return decode_positions_of(lm.format, held_by, values)


def decode_positions_of(
    fmt: Format, docs: list[int], values: list[bytes]
) -> tuple[np.ndarray, np.ndarray]:
    """Each value's positions (``fmt``'s ``decode_positions``) beside its document,
    flattened: ``ArrayPositions``' values are read from their joined bytes, and
    ``Positions``' (a count, then pickled position deltas) unpickled together, in
    one ``loads`` of their lists; either is summed by ``cumsum``. Any other format,
    or a mix of both encodings, is decoded one value at a time, by its own code."""
    found = _array_deltas(values) if type(fmt) is ArrayPositions else None
    if found is None and type(fmt) in _PICKLED_DELTAS:
        lists = _deltas(values)
        if lists is not None:
            lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
            deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=lengths.sum())
            found = lengths, deltas
    if found is None:
        decoder = fmt.decoder("positions")
        positions = [decoder(value) for value in values]
        lengths = np.fromiter(map(len, positions), dtype=np.int64, count=len(positions))
        flat = np.fromiter(chain.from_iterable(positions), dtype=np.int64, count=lengths.sum())
    else:
        lengths, deltas = found
        sums = np.cumsum(deltas)
        before = np.concatenate(([0], sums))[np.cumsum(lengths) - lengths]
        flat = sums - np.repeat(before, lengths)
    return np.repeat(np.asarray(docs, dtype=np.int64), lengths), flat


def _array_deltas(values: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """(deltas per value, every delta) of ``ArrayPositions`` values, read from their
    joined bytes without the marker bytes; None unless every value is one (an index
    written before holds pickled values). A value's deltas are 16- or 32-bit, as its
    marker says; each width is read at once and the two put back in value order."""
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    joined = np.frombuffer(b"".join(values), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    marks = joined[starts]
    wide = marks == ARRAY_MARK[0]
    widths = np.where(wide, DELTA_SIZE, 2)
    if not (wide | (marks == ARRAY16_MARK[0])).all() or ((sizes - 1) % widths).any():
        return None
    counts = (sizes - 1) // widths
    body = np.ones(len(joined), dtype=bool)
    body[starts] = False
    if not wide.any() or wide.all():
        return counts, joined[body].view("<u4" if wide.any() else "<u2").astype(np.int64)
    deltas = np.empty(int(counts.sum()), dtype=np.int64)
    value_starts = np.cumsum(counts) - counts  # where each value's deltas go
    byte_of = np.repeat(wide, sizes)  # each byte: of a 32-bit value?
    for is_wide, dtype in ((True, "<u4"), (False, "<u2")):
        chosen = wide == is_wide
        found = joined[body & (byte_of == is_wide)].view(dtype).astype(np.int64)
        n = counts[chosen]
        shift = np.repeat(value_starts[chosen] - (np.cumsum(n) - n), n)
        deltas[np.arange(len(found)) + shift] = found
    return counts, deltas


def _deltas(values: list[bytes]) -> list[list[int]] | None:
    """The pickled delta lists of ``Positions`` values, unpickled in one stream (a
    mark, each value's list, ``LIST``); None for a value not written that way."""
    bodies = []
    for value in values:
        if value[_INT_SIZE : _INT_SIZE + 2] != _PROTOCOL_2 or value[0] in _ARRAY_MARKS:
            return None
        # Whoosh may store a value without pickle's final STOP, as decode_positions knows
        bodies.append(value[_INT_SIZE + 2 : -1 if value.endswith(b".") else None])
    return loads(b"".join((_PROTOCOL_2, b"(", *bodies, b"l.")))


#: the formats whose positions are ``Positions.encode``'s: a count, pickled deltas.
_PICKLED_DELTAS = (Positions, IndexPositions, ArrayPositions)
_PROTOCOL_2 = b"\x80\x02"
_ARRAY_MARKS = (ARRAY_MARK[0], ARRAY16_MARK[0])


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
