"""Collecting a Whoosh search's hits and facet counts (``ArchiveWhooshBackend._search``)."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from functools import partial

import numpy as np
from whoosh import query as wq
from whoosh.matching import Matcher
from whoosh.searching import Searcher

from search import whoosh_leaves
from search.engine import EXACT_FIELDS, FACET_FIELDS
from search.whoosh_matchers import AdjacentPhrase, PreloadingOr
from search.whoosh_order import per_segment


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
                values.extend(per_segment(reader, f"facet:{name}", partial(_facet_values, name)))
            columns[name] = values
        searcher._archive_facet_columns = columns
    return columns


def facet_counts_of(searcher: Searcher, matching: AbstractSet[int]) -> dict[str, list]:
    """``facet_counts`` of each facet field over the documents ``matching``: the
    counts of ``Counter(column[d] for d in matching)``, by ``np.bincount`` over the
    column's value codes (``_facet_codes``). Why: a common word matches most of the
    archive, and five Python passes over its ~10,000 documents were ~1 ms each of
    its first ask (issue 18 stop 24)."""
    docs = np.fromiter(matching, dtype=np.int64, count=len(matching))
    out = {}
    for name, (codes, labels) in _facet_codes(searcher).items():
        counts = np.bincount(codes[docs], minlength=len(labels))
        out[name] = facet_counts({labels[i]: int(counts[i]) for i in np.flatnonzero(counts)})
    return out


def _facet_codes(searcher: Searcher) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Each facet column as (a code per document, the value of each code), once per
    searcher like the columns."""
    codes = getattr(searcher, "_archive_facet_codes", None)
    if codes is None:
        codes = {}
        for name, column in _facet_columns(searcher).items():
            labels = list(dict.fromkeys(column))
            index = {value: i for i, value in enumerate(labels)}
            coded = np.fromiter(map(index.__getitem__, column), np.int32, len(column))
            codes[name] = (coded, labels)
        searcher._archive_facet_codes = codes
    return codes


def _facet_values(name: str, reader) -> list[str]:
    if reader.has_column(name):
        return list(reader.column_reader(name, translate=True))
    return [""] * reader.doc_count_all()


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


def matching_docs(
    searcher: Searcher, query: wq.Query, known: AbstractSet[int] = frozenset()
) -> set[int]:
    """The documents ``query`` matches, as ``set(searcher.docs_for_query(query))``.

    Why not that call: Whoosh's unscored matchers still move every optional part
    along with the required one (``AndMaybe`` skips its phrase to each candidate,
    computing its spans) and a union reads each part to the end. Here a union is
    the union of its parts' sets, a conjunction their intersection, ``AndNot`` a
    difference and ``AndMaybe`` its required part alone, and phrase positions are
    read last, only in documents still in question (issue 18: 高层次人才引进).
    The same set: deleted documents are left out by each leaf's matcher.

    ``known``: documents the caller (a union) has already; whether they are in the
    answer does not matter, so no phrase is checked in them.
    """
    if isinstance(query, wq.AndMaybe):
        return matching_docs(searcher, query.a, known)
    if isinstance(query, wq.AndNot):
        found = matching_docs(searcher, query.a, known)
        return found - matching_docs(searcher, query.b) if found else found
    if type(query) is wq.And:
        return _intersection(searcher, query.subqueries, known)
    if type(query) in (wq.Or, PreloadingOr) and not query.minmatch:
        return _union(searcher, query.subqueries, known)
    if isinstance(query, AdjacentPhrase):
        return _phrase_docs(searcher, query, among=None, known=known)
    if type(query) is wq.Term:
        return _term_docs(searcher, query)
    return set(searcher.docs_for_query(query))


def docs_among(searcher: Searcher, query: wq.Query, among: set[int]) -> set[int]:
    """``matching_docs(searcher, query) & among``; a phrase's positions are read in
    ``among`` only (a filtered page's candidates, not the whole index)."""
    if isinstance(query, AdjacentPhrase):
        return _phrase_docs(searcher, query, among=among, known=frozenset())
    return matching_docs(searcher, query) & among


def _term_docs(searcher: Searcher, term: wq.Term) -> set[int]:
    """``set(searcher.docs_for_query(term))``, a posting block at a time
    (search/whoosh_leaves.py)."""
    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        m = term.matcher(sub, sub.boolean_context())
        leaf = whoosh_leaves.leaf(m)
        docs = whoosh_leaves.docnums(leaf) if leaf is not None else m.all_ids()
        found.update(docs if offset == 0 else map(offset.__add__, docs))
    return found


def _union(searcher: Searcher, parts: list[wq.Query], known: AbstractSet[int]) -> set[int]:
    """Phrases last: a word's text term finds nearly every document its ``grams``
    phrase would, and those need no positions read."""
    found: set[int] = set()
    for part in sorted(parts, key=lambda part: isinstance(part, AdjacentPhrase)):
        found |= matching_docs(searcher, part, known | found if known else found)
    return found


def _intersection(searcher: Searcher, parts: list[wq.Query], known: AbstractSet[int]) -> set[int]:
    """Phrases last, checked only in documents every other part matched."""
    found: set[int] | None = None
    for part in parts:
        if isinstance(part, AdjacentPhrase):
            continue
        docs = matching_docs(searcher, part, known)
        found = docs if found is None else found & docs
        if not found:
            return set()
    for part in parts:
        if isinstance(part, AdjacentPhrase):
            matched = _phrase_docs(searcher, part, among=found, known=known)
            found = matched if found is None else (found & known) | matched
            if not found:
                return set()
    return found or set()


def _phrase_docs(
    searcher: Searcher, phrase: AdjacentPhrase, among: set[int] | None, known: AbstractSet[int]
) -> set[int]:
    """The documents ``phrase`` matches among ``among`` (None: all), outside ``known``.

    Candidates hold every word (a boolean intersection, no positions); the phrase
    matcher is moved to each candidate in question. Where it lands past one, it
    landed on a match (its ``skip_to`` stops only at documents whose spans hold).
    """
    words = wq.And([wq.Term(phrase.fieldname, w) for w in phrase.words])
    candidates = _intersection(searcher, words.subqueries, frozenset())
    todo = sorted((candidates if among is None else candidates & among) - known)
    return {docnum for docnum, _ in landed(searcher, phrase, todo, searcher.boolean_context())}


def landed(
    searcher: Searcher, query: wq.Query, docnums: list[int], context
) -> Iterator[tuple[int, Matcher]]:
    """Each of ``docnums`` (global, ascending) that ``query`` matches, with the
    matcher standing on it: the matcher is moved to each in turn, so only those
    documents are checked. Where it lands past one, it landed on a match (a
    phrase matcher's ``skip_to`` stops only at documents whose spans hold)."""
    for sub, offset in searcher.leaf_searchers() if docnums else ():
        local = [d - offset for d in docnums if offset <= d < offset + sub.doc_count_all()]
        m = query.matcher(sub, context) if local else None
        for docnum in local:
            if m.is_active() and m.id() < docnum:
                m.skip_to(docnum)
            if not m.is_active():
                break
            if m.id() == docnum:
                yield docnum + offset, m
