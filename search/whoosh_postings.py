"""The posting format of the text fields: Whoosh's ``Positions``, built faster.

Whoosh turns a field's text into postings through three generator layers per
token: the analyzer yields one reused ``Token`` object, ``unstopped`` filters
it, and ``Positions.word_values`` groups its positions in two ``defaultdict``s.
Our analyzers (search.whoosh_schema) already compute (term, position) pairs;
``IndexPositions`` groups those pairs directly. Same postings, byte for byte:
same terms in the same order, same frequencies and weights, the same encoded
positions (tests/test_whoosh_postings.py compares them with ``Positions``').

Whoosh pickles the schema, this class included, into the index: it must keep
its name and module. An index made before it keeps ``Positions`` (its sub-writers
read the stored schema) and is written as before, only slower.

``ArrayPositions`` (the text fields' format since issue 18 stop 23) writes the
same postings with the positions as an array instead of a pickled list: a marker
byte, then the position deltas as little-endian integers, 16-bit when every delta
fits (nearly every posting: since issue 18 stop 25), else 32-bit; the marker says
which. A phrase's first ask decodes the positions of its words in thousands of
documents; unpickling them was over a quarter of its CPU at 30,000 reports, where
numpy reads an array's bytes directly (search/whoosh_phrases.py). Each value says
which encoding it has: haystack opens an index with the code's schema, not the one
stored in it, so an index written before keeps its pickled values beside the new
ones and all decode.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from pickle import dumps, loads

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint

#: (term, frequency, weight, encoded positions): what ``Format.word_values`` yields.
WordValue = tuple[str, int, float, bytes]


class IndexPositions(Positions):
    """``Positions`` with a fast path for analyzers that hand over term pairs."""

    def word_values(self, value, analyzer, **kwargs) -> Iterator[WordValue]:
        pairs = getattr(analyzer, "_terms", None)
        if pairs is None or not isinstance(value, str) or set(kwargs) - {"mode"}:
            return super().word_values(value, analyzer, **kwargs)
        # what the analyzer's lean path yields for the same call (positions only)
        return self.grouped(pairs(value, kwargs.get("mode", "")))

    def grouped(self, pairs: Iterable[tuple[str, int]]) -> Iterator[WordValue]:
        """Positions per term, in first-seen order, as ``Positions.word_values``."""
        poses: dict[str, list[int]] = {}
        for text, pos in pairs:
            found = poses.get(text)
            if found is None:
                poses[text] = [pos]
            else:
                found.append(pos)
        fb, encode = self.field_boost, self.encode
        for word, poslist in poses.items():
            n = len(poslist)
            # Positions sums a boost of 1.0 per token: exactly float(n).
            yield word, n, float(n) * fb, encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        return _encode(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """``Positions.decode_positions``, the deltas summed by ``accumulate``.

        Why: a phrase reads the positions of its words in every candidate
        document, and Whoosh's Python loop over the deltas was a quarter of a
        common phrase's first ask ("高层次人才" at 10,000 reports, issue 18).
        The same integers: running sums of the same pickled deltas.
        """
        if not valuestring.endswith(b"."):
            valuestring += b"."
        return list(accumulate(loads(valuestring[_INT_SIZE:])))


def _encode(poslist: list[int]) -> bytes:
    """``Positions.encode``: the count, then the pickled position deltas.

    A term seen once in a document (half of a report's postings) is encoded
    once per position for the whole process: the bytes depend on the position
    alone. Each posting still gets its own copy: Whoosh pickles a block's values,
    and pickle would write a repeated object as a back-reference, not its bytes."""
    if len(poslist) == 1:
        return bytes(memoryview(_encode_one(poslist[0])))
    deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


@lru_cache(maxsize=1 << 16)
def _encode_one(position: int) -> bytes:
    return pack_uint(1) + dumps([position], 2)


#: first byte of an ``ArrayPositions`` value of 32-bit deltas; a pickled one starts
#: with the high byte of its big-endian count, 0 below 2**24 positions.
ARRAY_MARK = b"\xff"
#: first byte of an ``ArrayPositions`` value of 16-bit deltas (every delta < 65,536).
ARRAY16_MARK = b"\xfe"
#: bytes per position delta of a 32-bit ``ArrayPositions`` value.
DELTA_SIZE = 4
#: bytes per delta, by a value's first byte.
DELTA_SIZES = {ARRAY_MARK[0]: DELTA_SIZE, ARRAY16_MARK[0]: 2}
_SWAP = sys.byteorder != "little"
#: the ``array`` type code of an unsigned 32-bit integer on this platform.
_UINT32 = "I" if array("I").itemsize == DELTA_SIZE else "L"
_UINT16 = "H"


class ArrayPositions(IndexPositions):
    """``IndexPositions`` whose values hold the deltas as an array (module docstring).

    The same terms, frequencies and weights; ``decode_positions`` gives the same
    positions (tests/test_import_writer_equivalence.py,
    tests/search/test_whoosh_leaves.py). A pickled value (an index written before)
    is decoded as ``IndexPositions`` decodes it."""

    def encode(self, poslist: list[int]) -> bytes:
        return _encode_array(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if not is_array_value(valuestring):
            return super().decode_positions(valuestring)
        return list(accumulate(_deltas_of(valuestring)))

    def decode_frequency(self, valuestring: bytes) -> int:
        if not is_array_value(valuestring):
            return unpack_uint(valuestring[:_INT_SIZE])[0]
        return (len(valuestring) - 1) // DELTA_SIZES[valuestring[0]]

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1) for pos in self.decode_positions(valuestring)]


def is_array_value(value: bytes) -> bool:
    """Whether ``value`` is ``ArrayPositions``' encoding (not a pickled list)."""
    return value[:1] in (ARRAY_MARK, ARRAY16_MARK)


def _deltas_of(value: bytes) -> array:
    deltas = array(_UINT16 if value[:1] == ARRAY16_MARK else _UINT32, value[1:])
    if _SWAP:
        deltas.byteswap()
    return deltas


def _encode_array(poslist: list[int]) -> bytes:
    """The marker, then the deltas of the ascending ``poslist`` as little-endian
    uint16, or uint32 when one does not fit (a single position, half of a report's
    postings, is built once per process, as in ``_encode``).

    Why 16 bits: the deltas were ~80 % of a posting block's bytes, and a block is
    decompressed and unpickled whole whenever a query reads one of its documents;
    at 16 bits the bench mix's blocks are 16.2 MB compressed instead of 20.1
    (issue 18 stop 25)."""
    if len(poslist) == 1:
        return bytes(memoryview(_encode_array_one(poslist[0])))
    deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
    try:
        packed, mark = array(_UINT16, deltas), ARRAY16_MARK
    except OverflowError:  # a delta of 65,536 or more
        packed, mark = array(_UINT32, deltas), ARRAY_MARK
    if _SWAP:
        packed.byteswap()
    return mark + packed.tobytes()


@lru_cache(maxsize=1 << 16)
def _encode_array_one(position: int) -> bytes:
    if position < 1 << 16:
        return ARRAY16_MARK + position.to_bytes(2, "little")
    return ARRAY_MARK + position.to_bytes(DELTA_SIZE, "little")
