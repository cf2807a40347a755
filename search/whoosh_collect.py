"""Collecting a Whoosh search's hits and facet counts (``ArchiveWhooshBackend._search``)."""

from __future__ import annotations

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from search.engine import EXACT_FIELDS, FACET_FIELDS


class _MatchedDocs(collectors.WrappingCollector):
    """Passes every match to its child and remembers its global document number.

    Like Whoosh's ``FacetCollector`` it collects match by match (no block
    skipping), so the child scores the same documents in the same order.
    """

    def __init__(self, child: collectors.Collector) -> None:
        super().__init__(child)
        self.docnums: list[int] = []

    def collect(self, sub_docnum: int) -> object:
        """Remember the match, then the child's own ``collect`` (its sort key)."""
        self.docnums.append(sub_docnum + self.child.offset)
        return self.child.collect(sub_docnum)


def _facet_columns(searcher: Searcher) -> dict[str, list[str]]:
    """Each facet field's value for every document number, read once per searcher
    (the searcher is kept until the index changes, so this is once per write)."""
    columns = getattr(searcher, "_archive_facet_columns", None)
    if columns is None:
        columns = {}
        for name in FACET_FIELDS:
            values: list[str] = []
            for reader, offset in searcher.reader().leaf_readers():
                values.extend([""] * (offset - len(values)))  # never, unless a gap
                if reader.has_column(name):
                    values.extend(reader.column_reader(name, translate=True))
                else:
                    values.extend([""] * reader.doc_count_all())
            columns[name] = values
        searcher._archive_facet_columns = columns
    return columns


def filter_query(filters: dict[str, list[str]], years: tuple[str | None, str | None]):
    """The exact filters as one Whoosh query: OR within a field, AND across fields and
    the year range (None when nothing filters); the engine's one filter rule."""
    parts: list[wq.Query] = []
    for name, values in filters.items():
        if name not in EXACT_FIELDS or not values:
            continue
        terms = [wq.Term(name, v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    low, high = years
    if low or high:
        parts.append(wq.TermRange("year", low, high))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def relevance(hit) -> float:
    """A hit's score as a float (Whoosh gives a tuple when results are sorted by field)."""
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


def facet_counts(groups: dict) -> list[tuple[str, int]]:
    """Facet values by count (desc) then value; missing values are not a facet."""
    items = [(value, count) for value, count in groups.items() if value not in (None, "")]
    return sorted(items, key=lambda item: (-item[1], item[0]))
