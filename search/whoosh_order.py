"""The order of Whoosh hits: a total order, whatever segments the index was built in.

Whoosh breaks score (and sort-key) ties by document number, and document numbers
follow how the index's segments were written: the same archive indexed in one
commit or in several (or restored from a backup and rebuilt) listed tied
reports in different orders (issue 16). Every sort here ends in the report id:

- relevance: score desc, then published desc (undated last), then id;
- newest / oldest: published (undated last), then id.

``tests/test_search_order.py`` builds one archive's index in one pass and in
several commits and compares whole result lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
from haystack.constants import DJANGO_ID
from whoosh.searching import Searcher

#: hits collected beyond the page, so that a tie at the page's edge is usually
#: settled without scoring every match again.
TIE_MARGIN = 16
_UNDATED = float("inf")
T = TypeVar("T")


def order_columns(searcher: Searcher) -> tuple[list[float], list[int]]:
    """Per document number: published as a timestamp (inf when undated) and the
    report id, read once per searcher (kept until the index changes).

    Read from the ``published`` column and the ``django_id`` lexicon, not from the
    stored fields: a document's stored fields are one pickled record holding its
    whole text (stored for haystack's ``result.text``), and unpickling 10,000 of
    them was a second of a first search at 10,000 reports (profile).
    """
    columns = getattr(searcher, "_archive_order_columns", None)
    if columns is None:
        dates: list[float] = []
        ids: list[int] = []
        for reader, offset in searcher.reader().leaf_readers():
            dates.extend([_UNDATED] * (offset - len(dates)))
            ids.extend([0] * (offset - len(ids)))
            segment_dates, segment_ids = per_segment(reader, "order", _segment_order)
            dates.extend(segment_dates)
            ids.extend(segment_ids)
        columns = searcher._archive_order_columns = (dates, ids)
    return columns


#: (segment, what) -> values per document of that segment; see ``per_segment``.
_SEGMENT_VALUES: dict[tuple[str, int, str], object] = {}
#: segments remembered per process before the memo starts again.
MAX_SEGMENT_VALUES = 1024


def per_segment(reader, what: str, compute: Callable[[Any], T]) -> T:
    """``compute(reader)`` for one segment, remembered by segment id.

    A segment is never rewritten (deletions only mark documents, which then never
    match), and a commit adds a segment while keeping the others: a searcher
    reopened after an upload reads the new segment's values only, not the whole
    index's again (a quarter to half a second per worker at 10,000 reports).
    """
    key = (reader.segment().segment_id(), reader.doc_count_all(), what)
    found = _SEGMENT_VALUES.get(key)
    if found is None:
        found = compute(reader)
        if len(_SEGMENT_VALUES) >= MAX_SEGMENT_VALUES:
            _SEGMENT_VALUES.clear()
        _SEGMENT_VALUES[key] = found
    return found  # type: ignore[return-value]


def _segment_order(reader) -> tuple[list[float], list[int]]:
    return [_timestamp(v) for v in _published(reader)], _report_ids(reader)


def _published(reader) -> list[object]:
    """``published`` of every document of one segment (None when undated)."""
    count = reader.doc_count_all()
    if reader.has_column("published"):
        field = reader.schema["published"]  # an undated document holds the column default
        raw = reader.column_reader("published", translate=False)
        return [None if v == field.default else field.from_column_value(v) for v in raw]
    stored = dict(reader.iter_docs())  # an index written without the column
    return [stored.get(d, {}).get("published") for d in range(count)]


def _report_ids(reader) -> list[int]:
    """The report id of every document of one segment (0 for a deleted one)."""
    ids = [0] * reader.doc_count_all()
    for term in reader.lexicon(DJANGO_ID):
        for docnum in reader.postings(DJANGO_ID, term).all_ids():
            ids[docnum] = int(term)
    return ids


def _timestamp(value: object) -> float:
    return value.timestamp() if isinstance(value, datetime) else _UNDATED


def by_relevance(items: Iterable[tuple[float, int]], searcher: Searcher) -> list[tuple[float, int]]:
    """(score, docnum) pairs best first; ties newest first, then by report id."""
    dates, ids = order_columns(searcher)

    def key(item: tuple[float, int]) -> tuple:
        undated = dates[item[1]] == _UNDATED
        return (-item[0], undated, 0.0 if undated else -dates[item[1]], ids[item[1]])

    return sorted(items, key=key)


def relevance_order(docnums: np.ndarray, scores: np.ndarray, searcher: Searcher) -> np.ndarray:
    """The permutation ``by_relevance`` puts (score, docnum) pairs in: the same keys,
    compared column by column (``numpy.lexsort``: the last key first)."""
    dates, ids = _order_arrays(searcher)
    published = dates[docnums]
    undated = np.isinf(published)
    newest_first = np.where(undated, 0.0, -published)
    return np.lexsort((ids[docnums], newest_first, undated, -scores))


def _order_arrays(searcher: Searcher) -> tuple[np.ndarray, np.ndarray]:
    """``order_columns`` as arrays, once per searcher."""
    arrays = getattr(searcher, "_archive_order_arrays", None)
    if arrays is None:
        dates, ids = order_columns(searcher)
        arrays = (np.asarray(dates, dtype=np.float64), np.asarray(ids, dtype=np.int64))
        searcher._archive_order_arrays = arrays
    return arrays


def by_date(docnums: Iterable[int], searcher: Searcher, *, newest: bool) -> list[int]:
    """Document numbers newest (or oldest) first, undated last, ties by report id."""
    dates, ids = order_columns(searcher)

    def key(d: int) -> tuple:
        undated = dates[d] == _UNDATED
        return (undated, 0.0 if undated else (-dates[d] if newest else dates[d]), ids[d])

    return sorted(docnums, key=key)


def settled(ranked: list[tuple[float, int]], wanted: int, collected_all: bool) -> bool:
    """True when the first ``wanted`` of a top-N collection are the true first ones.

    Whoosh's top-N collector keeps a document only when it beats the lowest score
    kept, so every document left out scored at most that. If the score at the
    page's last place is higher than the lowest kept, no left-out document can
    tie with it.
    """
    if collected_all or len(ranked) <= wanted:
        return True
    return ranked[wanted - 1][0] > min(score for score, _ in ranked)
