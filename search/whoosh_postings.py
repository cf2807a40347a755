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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from pickle import dumps, loads

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint

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
        fb = self.field_boost
        for word, poslist in poses.items():
            n = len(poslist)
            # Positions sums a boost of 1.0 per token: exactly float(n).
            yield word, n, float(n) * fb, _encode(poslist)

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
