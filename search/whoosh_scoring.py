"""BM25F whose statistics do not depend on how the index was cut into segments.

Whoosh's BM25F divides each field's total length by the document count. The
total is exact when a segment is written, but a merge rebuilds it from the
per-document lengths Whoosh stores in one byte each (lossy above ~8 tokens), so
the same archive indexed in one pass and in several commits scored its reports a
little differently (8.9012 against 8.908 for 人才) and ties and near-ties changed
order (issue 16, tests/test_search_order.py). Here the average is always taken
over the stored per-document lengths: the same numbers whatever merged when.
"""

from __future__ import annotations

from functools import partial

from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

from search.whoosh_order import per_segment


def _average_length(searcher: Searcher, fieldname: str) -> float:
    """Mean stored length of ``fieldname`` over every document, once per searcher;
    each segment's sum is kept per segment (``per_segment``): a searcher reopened
    after an upload, or opened in a forked worker, sums the new segment only."""
    cache: dict = searcher.__dict__.setdefault("_archive_avg_lengths", {})
    if fieldname not in cache:
        total = count = 0
        for reader, _ in searcher.reader().leaf_readers():
            total += _segment_length_sum(reader, fieldname)
            count += reader.doc_count_all()
        cache[fieldname] = (total / count) if count else 1.0
    return cache[fieldname]


def _segment_length_sum(reader, fieldname: str) -> int:
    def total(segment) -> int:
        return sum(segment.doc_field_length(d, fieldname) for d in range(segment.doc_count_all()))

    if reader.segment() is None:  # not one segment's reader: nothing to key it by
        return total(reader)
    return per_segment(reader, f"length-sum:{fieldname}", total)


def _field_lengths(searcher: Searcher, fieldname: str) -> list:
    """Each document's stored length of ``fieldname`` in one (segment) searcher, as
    ``BM25FScorer`` reads it (``doc_field_length(docnum, fieldname, 1)``), once per
    searcher.

    Why: the scorer read it posting by posting (a column lookup and a byte decode
    per scored document): 15 % of the bench query mix at 3,000 reports (issue 18,
    docs/benchmarks.md). The list holds the very values of those calls.
    """
    cache: dict = searcher.__dict__.setdefault("_archive_field_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        reader = searcher.reader()
        if reader.segment() is not None:  # kept per segment, as the order columns
            lengths = per_segment(reader, f"lengths:{fieldname}", partial(_lengths, fieldname))
        else:
            lengths = _lengths(fieldname, reader)
        cache[fieldname] = lengths
    return lengths


def _lengths(fieldname: str, reader) -> list:
    read = reader.doc_field_length
    return [read(d, fieldname, 1) for d in range(reader.doc_count_all())]


class _Scorer(BM25FScorer):
    """``BM25FScorer.__init__`` with ``_average_length``: set before ``setup``,
    which computes the block-quality bound Whoosh skips blocks by; lengths are read
    from ``_field_lengths``."""

    def __init__(self, searcher, fieldname, text, B, K1, qf=1):  # noqa: N803 (Whoosh's names)
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        self.avgfl = _average_length(parent, fieldname) or 1.0
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)
        self.fieldname = fieldname  # search/whoosh_bulk.py reads the same lengths in bulk
        self.dfl = _field_lengths(searcher, fieldname).__getitem__


class ArchiveBM25F(BM25F):
    """Whoosh's BM25F with the average field length of ``_average_length``."""

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: int = 1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)  # Whoosh's weight scorer
        b = self._field_B.get(fieldname, self.B)
        return _Scorer(searcher, fieldname, text, b, self.K1, qf=qf)


def warm_lengths(searcher: Searcher) -> None:
    """Every scored field's lengths and average, as a first search would read them."""
    for fieldname, field in searcher.schema.items():
        if field.scorable:
            _average_length(searcher, fieldname)
            for leaf, _ in searcher.leaf_searchers():
                _field_lengths(leaf, fieldname)
