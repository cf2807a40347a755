"""haystack's Whoosh backend, extended for Chinese (never copied: subclassed).

- ``build_schema`` swaps haystack's English ``StemmingAnalyzer`` TEXT fields for
  the project's analyzer (search.schema) and makes filter/facet fields exact,
  untokenized ``ID`` columns.
- ``analyst_search`` runs a query already parsed by search.query (haystack's own
  ``search`` drops one-character queries and parses with Whoosh's English
  syntax) with exact filters, facet counts over the whole result set, sorting
  and paging in one pass.
- ``similar`` is more-like-this over the same analyzed field.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import classify, collectors, formats, sorting
from whoosh import query as wq
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, FieldType, Schema
from whoosh.index import EmptyIndexError
from whoosh.searching import Searcher
from whoosh.util.text import utf8encode
from whoosh.writing import IndexWriter

from search.locking import writer_lock
from search.schema import search_fields

log = logging.getLogger(__name__)

#: exact-valued fields a search can be filtered and faceted on.
EXACT_FIELDS = ("province", "city", "year", "doc_type", "source")
FACET_FIELDS = ("province", "city", "year", "doc_type")
SORTS = {"relevance": None, "newest": True, "oldest": False}
#: stored only: the report's updated_at when indexed, for check_index.
VERSION_FIELD = "version"
#: Whoosh writer settings (whoosh.writing.SegmentWriter): a larger posting pool
#: than the 128 MB default is not faster here (docs/benchmarks.md, "Whoosh writer").
WRITER_SETTINGS: dict = {"limitmb": 128}
#: a session writer may take any number of documents: as many processes as allowed.
BULK_DOCUMENTS = 1 << 30
_writer = threading.local()
#: per thread: {index path: (stamp, open Searcher)} (``ArchiveWhooshBackend._searcher``).
_searchers = threading.local()
#: per thread: {index path: (stamp, {search key: Hits})}, least recently used first.
_results = threading.local()


@contextmanager
def index_writer_procs(procs: int) -> Iterator[None]:
    """Index writes in this thread use ``procs`` Whoosh processes (bulk imports).

    Whoosh's MpWriter analyzes documents in forked sub-writers, each writing its
    own segment (``multisegment``): jieba runs on every core. Only for bulk
    writes: each sub-writer adds a segment, which searches then have to read.
    """
    previous = getattr(_writer, "procs", 1)
    _writer.procs = max(1, procs)
    try:
        yield
    finally:
        _writer.procs = previous


@contextmanager
def one_commit() -> Iterator[None]:
    """Index writes in this thread go to one writer per index, committed on exit.

    A drain used to commit every batch of 200 reports: each commit adds a segment
    per writer process and re-merges the small segments (Whoosh's MERGE_SMALL),
    so a 10,000-report import rewrote its growing index 50 times and left tens of
    segments that every search then reads. Enter it with the writer lock held
    (``drain_queue`` does); on an exception nothing is committed and the queue
    rows stay for the next drain.
    """
    if getattr(_writer, "session", None) is not None:
        yield  # nested: the outer session commits
        return
    _writer.session = {}
    try:
        yield
    except BaseException:
        for entry in _writer.session.values():
            entry.writer.cancel()
        raise
    else:
        for entry in _writer.session.values():
            entry.writer.commit()
    finally:
        _writer.session = None


@dataclass
class _OpenWriter:
    writer: IndexWriter
    ids: set[str] = field(default_factory=set)  # documents written by this writer


class IndexUnavailable(OSError):
    """The index cannot be read (deleted, half-copied, corrupted): search is down
    until ``rebuild_index``, every other page serves. An OSError, so callers that
    already handle a missing index folder handle this too."""


@contextmanager
def _unavailable_when_damaged() -> Iterator[None]:
    # Whoosh reports a damaged TOC or segment as whatever failed while reading it
    # (whoosh.index.IndexError, struct.error, EOFError, pickle errors...).
    try:
        yield
    except (EmptyIndexError, OSError):
        raise
    except Exception as exc:
        log.error("search index unreadable, rebuild it (rebuild_index): %r", exc)
        raise IndexUnavailable(f"search index unreadable: {exc!r}") from exc


@dataclass
class Hits:
    """One page of hits: report ids with scores, the total, and facet counts."""

    total: int
    ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class ArchiveWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        ours = search_fields()
        columns = {}
        for name in schema.names():
            if name in ours:
                columns[name] = ours[name]
            elif name in EXACT_FIELDS:
                columns[name] = WHOOSH_ID(stored=True, sortable=True)
            elif name == VERSION_FIELD:
                columns[name] = STORED()
            else:
                columns[name] = schema[name]
        return content_field_name, Schema(**columns)

    # Every write takes the inter-process lock (search/locking.py), including
    # haystack's own rebuild_index/update_index/clear_index.
    def update(self, index, iterable, commit=True):
        """haystack's update with our writer: no AsyncWriter (we hold the lock),
        the settings above, and several processes inside ``index_writer_procs``."""
        with writer_lock():
            if not self.setup_complete:
                self.setup()
            docs = []
            for obj in iterable:
                try:
                    doc = index.full_prepare(obj)
                except SkipDocument:
                    continue
                doc.pop("boost", None)  # document boosts: unsupported since Whoosh 2.5
                docs.append({key: self._from_python(value) for key, value in doc.items()})
            if not docs:
                return
            ids = {doc[ID] for doc in docs}
            if getattr(_writer, "session", None) is None:
                self.index = self.index.refresh()
                writer = self._new_writer(len(docs))
                self._write(writer, docs)
                writer.commit()
                return
            entry = self._session_writer(ids)
            self._write(entry.writer, docs)
            entry.ids |= ids

    def remove(self, obj_or_string, commit=True):
        with writer_lock():
            if getattr(_writer, "session", None) is None:
                super().remove(obj_or_string, commit=commit)
                return
            whoosh_id = get_identifier(obj_or_string)
            self._session_writer({whoosh_id}).writer.delete_by_term(ID, whoosh_id)

    def _new_writer(self, documents: int) -> IndexWriter:
        procs = min(getattr(_writer, "procs", 1), documents)
        if procs > 1:
            return self.index.writer(procs=procs, multisegment=True, **WRITER_SETTINGS)
        return self.index.writer(**WRITER_SETTINGS)

    def _session_writer(self, ids: set[str]) -> _OpenWriter:
        """The open writer of ``one_commit`` for this index.

        A writer's deletions only reach committed documents: a report already
        written by this writer is committed first, so its new version replaces
        it instead of standing beside it.
        """
        session = _writer.session
        entry = session.get(self.path)
        if entry is not None and entry.ids & ids:
            del session[self.path]
            entry.writer.commit()
            entry = None
        if entry is None:
            if not self.setup_complete:
                self.setup()
            self.index = self.index.refresh()
            entry = session[self.path] = _OpenWriter(self._new_writer(BULK_DOCUMENTS))
        return entry

    def _write(self, writer: IndexWriter, docs: list[dict]) -> None:
        try:
            for doc in docs:
                writer.update_document(**doc)
        except BaseException:
            if getattr(_writer, "session", None):
                _writer.session.pop(self.path, None)
            writer.cancel()
            raise

    def clear(self, models=None, commit=True):
        with writer_lock():
            if not models and self.use_file_storage:
                # A damaged index cannot even be opened to be cleared, and
                # clearing everything is deleting the folder anyway.
                shutil.rmtree(self.path, ignore_errors=True)
                self.setup_complete = False
            super().clear(models=models, commit=commit)

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """This thread's searcher, reopened only when the index changed.

        Opening a searcher reads every segment's table of contents: ~100 ms of a
        search at 2,000 reports (docs/benchmarks.md). The stamp is the TOC
        generation and the inode, size and mtime of every index file, so an
        index deleted and rebuilt to the same generation, or a file damaged in
        place, is still seen as new.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        cache: dict = _searchers.__dict__.setdefault("by_path", {})
        stamp = self._stamp()
        cached = cache.pop(self.path, None)
        if cached is not None and cached[0] != stamp:
            cached[1].close()
            cached = None
        searcher = cached[1] if cached is not None else self.index.searcher()
        _searchers.stamp = stamp
        try:
            yield searcher
        except BaseException:
            searcher.close()  # a failed search may leave it half-read: start afresh
            raise
        cache[self.path] = (stamp, searcher)

    def _stamp(self) -> tuple:
        generation = self.index.latest_generation()
        if not self.use_file_storage:
            return (generation,)
        # Every file's identity, size and mtime: segments are memory-mapped, and a
        # file truncated or rewritten in place under a mapped searcher is a SIGBUS.
        with os.scandir(self.path) as entries:
            files = sorted(
                (e.name, e.inode(), st.st_size, st.st_mtime_ns)
                for e in entries
                if not e.name.endswith("WRITELOCK") and (st := e.stat())
            )
        return generation, tuple(files)

    def analyst_search(
        self,
        query: wq.Query,
        *,
        filters: dict[str, list[str]] | None = None,
        years: tuple[str | None, str | None] = (None, None),
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
    ) -> Hits:
        """Search with exact filters; facets count every hit, not one page.

        Results are remembered per thread while the index is unchanged (the
        stamp of ``_searcher``): analysts page, re-sort and toggle facets of the
        same query, and a common word costs Whoosh 100+ ms to score and facet.
        """
        with _unavailable_when_damaged(), self._searcher() as searcher:
            key = (repr(query), sorted((filters or {}).items()), years, sort, offset, limit)
            remembered = _remembered(self.path, _searchers.stamp)
            if repr(key) in remembered:
                remembered.move_to_end(repr(key))
                return copy.deepcopy(remembered[repr(key)])
            hits = self._search(searcher, query, filters, years, sort, offset, limit)
            if settings.SEARCH_RESULT_CACHE > 0:
                remembered[repr(key)] = copy.deepcopy(hits)
                while len(remembered) > settings.SEARCH_RESULT_CACHE:
                    remembered.popitem(last=False)
            return hits

    def _search(
        self,
        searcher: Searcher,
        query: wq.Query,
        filters: dict[str, list[str]] | None,
        years: tuple[str | None, str | None],
        sort: str,
        offset: int,
        limit: int,
    ) -> Hits:
        """One pass for a single word or phrase, two for words combined.

        Measured at 2,000 reports (docs/benchmarks.md): a conjunction (人才工作,
        高层次人才引进 with its verbatim booster) is 2-3x faster in two passes, but
        a phrase pays its position checks twice and a single word gains nothing.
        """
        if searcher.doc_count() == 0:
            return Hits(total=0)
        args = (searcher, query, filters, years, sort, offset, limit)
        core = query.a if isinstance(query, wq.AndNot) else query
        if isinstance(core, (wq.And, wq.AndMaybe)):
            return self._two_pass(*args)
        return self._one_pass(*args)

    def _one_pass(
        self,
        searcher: Searcher,
        query: wq.Query,
        filters: dict[str, list[str]] | None,
        years: tuple[str | None, str | None],
        sort: str,
        offset: int,
        limit: int,
    ) -> Hits:
        """Every hit scored in one collector, as Whoosh's ``groupedby`` does it.

        The collectors are those ``searcher.search(..., groupedby=...)`` builds,
        with ``_MatchedDocs`` in place of its ``FacetCollector``: the same documents
        reach the same scoring collector in the same order, and the facets are
        counted from the columns held in memory (``_facet_columns``) instead of
        four categorizer calls per hit, a quarter of a common word's search.
        ``tests/test_search_speed_facets.py`` proves the same hits, order, scores,
        totals and facets as ``groupedby``.
        """
        wanted = min(offset + limit, searcher.doc_count())
        if SORTS.get(sort) is not None:
            sortedby = [sorting.FieldFacet("published", reverse=SORTS[sort]), sorting.ScoreFacet()]
            scoring: collectors.Collector = collectors.SortingCollector(
                sortedby, limit=max(wanted, 1)
            )
        else:
            scoring = collectors.UnlimitedCollector()  # what ``groupedby`` makes Whoosh use
        matched = _MatchedDocs(scoring)
        flt = _filter_query(filters or {}, years)
        top = matched if flt is None else collectors.FilterCollector(matched, flt, None)
        searcher.search_with_collector(query, top)
        results = top.results()
        page = results[offset : offset + limit] if offset < wanted else []
        columns = _facet_columns(searcher)
        return Hits(
            total=len(results),
            ids=[int(hit[DJANGO_ID]) for hit in page],
            # A sorted search puts the sort key in ``score``; only relevance has one.
            scores={int(hit[DJANGO_ID]): _relevance(hit) for hit in page},
            facets={
                name: _facet_counts(Counter(columns[name][d] for d in matched.docnums))
                for name in FACET_FIELDS
            },
        )

    def _two_pass(
        self,
        searcher: Searcher,
        query: wq.Query,
        filters: dict[str, list[str]] | None,
        years: tuple[str | None, str | None],
        sort: str,
        offset: int,
        limit: int,
    ) -> Hits:
        """The matching set first, without scoring; then only the page is scored.

        Scoring every hit of a conjunction to count facets was most of its search;
        the matching documents are a boolean pass, facet counts come from columns
        held in memory per searcher, and the top ``offset + limit`` are collected
        with Whoosh's block skipping. ``tests/test_search_engine_equivalence.py``
        proves the same hits, order, scores, totals and facets as ``_one_pass``.
        """
        matching = set(searcher.docs_for_query(query))
        flt = _filter_query(filters or {}, years)
        if flt is not None and matching:
            matching.intersection_update(searcher.docs_for_query(flt))
        columns = _facet_columns(searcher)
        facets = {
            name: _facet_counts(Counter(columns[name][d] for d in matching))
            for name in FACET_FIELDS
        }
        wanted = min(offset + limit, len(matching))
        if offset >= wanted:
            return Hits(total=len(matching), facets=facets)
        kwargs: dict = {"limit": wanted, "filter": matching}
        if SORTS.get(sort) is not None:
            kwargs["sortedby"] = [
                sorting.FieldFacet("published", reverse=SORTS[sort]),
                sorting.ScoreFacet(),
            ]
        page = searcher.search(query, **kwargs)[offset : offset + limit]
        ids = [int(hit[DJANGO_ID]) for hit in page]
        return Hits(
            total=len(matching),
            ids=ids,
            # A sorted search puts the sort key in ``score``; only relevance has one.
            scores={int(hit[DJANGO_ID]): _relevance(hit) for hit in page},
            facets=facets,
        )

    def indexed_versions(self) -> dict[int, str]:
        """Every indexed report id with the version stamp it was indexed at."""
        with _unavailable_when_damaged(), self._searcher() as searcher:
            return {
                int(fields[DJANGO_ID]): fields.get(VERSION_FIELD)
                for fields in searcher.all_stored_fields()
            }

    def similar(self, *, doc_id: str, text: str, limit: int = 5) -> list[int]:
        """Report ids most like ``text`` (the report ``doc_id``), best first."""
        with _unavailable_when_damaged(), self._searcher() as searcher:
            docnum = searcher.document_number(**{ID: doc_id})
            if docnum is None:
                return []
            if not text:  # Whoosh reads the document's own terms instead
                hits = searcher.more_like(docnum, self.content_field_name, top=limit)
                return [int(hit[DJANGO_ID]) for hit in hits]
            return _more_like_text(searcher, docnum, self.content_field_name, text, limit)


#: Distinct terms whose collection frequency a searcher remembers (a few MB).
MAX_REMEMBERED_FREQUENCIES = 400_000
#: ``Searcher.more_like``'s defaults, which ``similar`` has always used.
SIMILAR_NUMTERMS = 5


def _more_like_text(searcher: Searcher, docnum: int, fieldname: str, text: str, top: int):
    """``searcher.more_like(docnum, fieldname, text=text, top=top)``, same hits.

    Whoosh weighs every distinct word of the report by its collection frequency,
    summed over every segment: ~900 words x 10 segments of hash lookups were 70 %
    of a report page at 1,000 reports (profile). The frequencies are remembered
    per searcher (until the index changes), so words shared between reports are
    looked up once; ``tests/test_search_speed_equivalence.py`` proves equal results.
    """
    expander = _RememberingExpander(searcher, fieldname, model=classify.Bo1Model)
    expander.add(_text_weights(searcher.schema[fieldname], text))
    terms = expander.expanded_terms(SIMILAR_NUMTERMS, normalize=False)
    query = wq.Or([wq.Term(fieldname, word, boost=weight) for word, weight in terms])
    hits = searcher.search(query, limit=top, mask={docnum})
    return [int(hit[DJANGO_ID]) for hit in hits]


def _text_weights(field_type: FieldType, text: str) -> Iterator[tuple[str, float]]:
    """(word, weight) for each distinct word, as ``Expander.add_text`` reads them.

    ``add_text`` takes them from ``field_type.index``, which for a ``Positions``
    field also pickles every word's position list, only to drop it: a third of
    the key-term extraction (profile of the report page). Same analyzer call,
    same words in the same order, same weights; any other field: Whoosh's way.
    """
    fmt = field_type.format
    if type(fmt) is not formats.Positions or type(field_type).index is not FieldType.index:
        for btext, _, weight, _ in field_type.index(text):
            yield field_type.from_bytes(btext), weight
        return
    weights: defaultdict[str, float] = defaultdict(float)
    options = {"mode": "index", "positions": True, "boosts": True}
    for token in formats.tokens(text, field_type.analyzer, options):
        weights[token.text] += token.boost
    for word, weight in weights.items():
        yield field_type.from_bytes(utf8encode(word)[0]), weight * fmt.field_boost


class _RememberingExpander(classify.Expander):
    """Whoosh's ``Expander`` reading collection frequencies through a memo."""

    def __init__(self, searcher: Searcher, fieldname: str, model: type) -> None:
        super().__init__(searcher.reader(), fieldname, model=model)
        self._frequencies = _collection_frequencies(searcher, fieldname)

    def _frequency(self, word: str) -> float | None:
        """The term's collection frequency, None when not in the index."""
        if word in self._frequencies:
            return self._frequencies[word]
        btext = self.ixreader.schema[self.fieldname].to_bytes(word)
        found = (self.fieldname, btext) in self.ixreader
        cf = self.ixreader.frequency(self.fieldname, btext) if found else None
        if len(self._frequencies) >= MAX_REMEMBERED_FREQUENCIES:
            self._frequencies.clear()
        self._frequencies[word] = cf
        return cf

    def expanded_terms(self, number: int, normalize: bool = True) -> list[tuple[str, float]]:
        """``classify.Expander.expanded_terms`` line for line, frequencies memoized."""
        if not self.topN_weight:
            return []
        tlist: list[tuple[float, str]] = []
        maxweight = 0
        for word, weight in self.topN_weight.items():
            cf = self._frequency(word)
            if cf is not None:
                score = self.model.score(weight, cf, self.top_total)
                if score > maxweight:
                    maxweight = score
                tlist.append((score, word))
        norm = self.model.normalizer(maxweight, self.top_total) if normalize else maxweight
        tlist = [(weight / norm, t) for weight, t in tlist]
        tlist.sort(key=lambda x: (0 - x[0], x[1]))
        return [(t, weight) for weight, t in tlist[:number]]


def _collection_frequencies(searcher: Searcher, fieldname: str) -> dict[str, float | None]:
    """This searcher's memo of term -> collection frequency for ``fieldname``."""
    memo = getattr(searcher, "_archive_frequencies", None)
    if memo is None:
        memo = searcher._archive_frequencies = {}
    return memo.setdefault(fieldname, {})


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


def _remembered(path: str, stamp: tuple) -> OrderedDict:
    """This thread's remembered results for the index at ``path`` as of ``stamp``."""
    by_path: dict = _results.__dict__.setdefault("by_path", {})
    current = by_path.get(path)
    if current is None or current[0] != stamp:
        current = by_path[path] = (stamp, OrderedDict())
    return current[1]


def _filter_query(filters: dict[str, list[str]], years: tuple[str | None, str | None]):
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


def _relevance(hit) -> float:
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


def _facet_counts(groups: dict) -> list[tuple[str, int]]:
    """Facet values by count (desc) then value; missing values are not a facet."""
    items = [(value, count) for value, count in groups.items() if value not in (None, "")]
    return sorted(items, key=lambda item: (-item[1], item[0]))


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
