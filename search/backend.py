"""haystack's Whoosh backend, extended for Chinese (never copied: subclassed).

- ``build_schema`` swaps haystack's English ``StemmingAnalyzer`` TEXT fields for
  the project's analyzer (search.whoosh_schema) and makes filter/facet fields exact,
  untokenized ``ID`` columns.
- ``analyst_search`` runs query nodes parsed by search.query (haystack's own
  ``search`` drops one-character queries and parses with Whoosh's English
  syntax) with exact filters, facet counts over the whole result set, sorting
  and paging in one pass.
- ``similar`` is more-like-this over the same analyzed field.
- haystack's own ``SearchQuerySet`` API (``highlight()``, ``more_like_this()``,
  ``result.text``) works too: search.whoosh_haystack, docs/haystack-compat.md.

It implements ``search.engine.Engine``; its helpers are the other ``whoosh_*``
modules (writers, collectors, more-like-this), ``search.whoosh_schema`` and
``search.whoosh_query`` (the project's query nodes compiled for Whoosh) and
``search.whoosh_matchers``: the only modules that import Whoosh.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from array import array
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import numpy as np
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import query as wq
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, Schema
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from search import whoosh_bulk
from search.engine import (
    EXACT_FIELDS,
    SORTS,
    VERSION_FIELD,
    Hits,
    IndexStatus,
    SearchUnavailable,
)
from search.locking import writer_lock
from search.query_nodes import Node
from search.result_memo import ResultMemo
from search.search_indexes import ARCHIVE_FIELD
from search.whoosh_blocks import (
    compress_blocks_with_lz4,
    remember_blocks,
    write_blocks_at_protocol,
)
from search.whoosh_collect import _facet_codes, facet_counts_of, matching_docs
from search.whoosh_files import read_segments_in_place
from search.whoosh_haystack import HaystackApiMixin
from search.whoosh_order import order_columns
from search.whoosh_query import compile_query
from search.whoosh_ranking import (
    Ranked,
    allowed_docs,
    date_page,
    keep_every_match,
    rank_all,
    score_docs,
    top_page,
)
from search.whoosh_schema import search_fields, text_field
from search.whoosh_scoring import ArchiveBM25F, warm_lengths
from search.whoosh_segment_writer import segment_writer
from search.whoosh_setup import remember_schema, set_up_from_shared_schema
from search.whoosh_similar import _more_like_text
from search.whoosh_writing import (
    BULK_DOCUMENTS,
    WRITER_SETTINGS,
    _OpenWriter,
    _writer,
    index_writer_procs,
    one_commit,
)

log = logging.getLogger(__name__)
read_segments_in_place()  # search/whoosh_files.py: no copy of every segment per searcher
remember_blocks()  # search/whoosh_blocks.py: each posting block decoded once per searcher
write_blocks_at_protocol()  # search/whoosh_blocks.py: blocks unpickle ~4x faster
compress_blocks_with_lz4()  # search/whoosh_blocks.py: blocks decompress ~3x faster
keep_every_match()  # search/whoosh_ranking.py: top-N searches lose no document

#: a filtered first ask with at most this many matches scores them one by one; more,
#: and the query's whole ranking is computed and kept for every later ask of it.
SCORED_ONE_BY_ONE = 2000
#: the stamp of the searcher this thread is using (``ArchiveWhooshBackend._searcher``).
_searchers = threading.local()


def _matching_array(searcher: Searcher, query: wq.Query) -> array:
    """What ``query`` matches, in bulk (search/whoosh_bulk.py) where it can."""
    try:
        return array("i", whoosh_bulk.matched(searcher, query).astype(np.int32).tobytes())
    except whoosh_bulk.Unsupported:
        return array("i", sorted(matching_docs(searcher, query)))


class _SearcherPool:
    """Idle searchers per index path, shared by every thread of the process.

    Why per process: runserver starts a thread per request, and a per-thread
    searcher was reopened on every request (STYLE.md). A searcher is lent to one
    thread at a time (Whoosh readers keep per-call state), so a process holds as
    many as it has concurrent searches; those of an older stamp are closed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[str, tuple[tuple, list[Searcher]]] = {}

    def take(self, path: str, stamp: tuple) -> Searcher | None:
        stale: list[Searcher] = []
        with self._lock:
            current = self._idle.get(path)
            if current is None or current[0] != stamp:
                stale = current[1] if current is not None else []
                current = self._idle[path] = (stamp, [])
            found = current[1].pop() if current[1] else None
        for searcher in stale:
            searcher.close()
        return found

    def give_back(self, path: str, stamp: tuple, searcher: Searcher) -> None:
        with self._lock:
            current = self._idle.get(path)
            if current is not None and current[0] == stamp:
                current[1].append(searcher)
                return
        searcher.close()

    def forget(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for _, searchers in idle.values():
            for searcher in searchers:
                searcher.close()


_pool = _SearcherPool()
_results = ResultMemo()


@contextmanager
def _unavailable_when_damaged() -> Iterator[None]:
    """Any failure to read the index is ``SearchUnavailable`` (search is down until
    ``rebuild_index``; every other page serves).

    Why every exception: Whoosh reports a deleted index as EmptyIndexError or an
    OSError, and a damaged TOC or segment as whatever failed while reading it
    (whoosh.index.IndexError, struct.error, EOFError, pickle errors...).
    """
    try:
        yield
    except SearchUnavailable:
        raise
    except Exception as exc:
        log.error("search index unreadable, rebuild it (rebuild_index): %r", exc)
        raise SearchUnavailable(f"search index unreadable: {exc!r}") from exc


class ArchiveWhooshBackend(HaystackApiMixin, WhooshSearchBackend):
    def setup(self):
        """haystack's setup with the schema built once per process, not once per
        thread (search/whoosh_setup.py: 1.9 ms of each runserver request)."""
        if not set_up_from_shared_schema(self):
            super().setup()
            remember_schema(self)

    def build_schema(self, fields):
        """haystack's schema with our Chinese fields; the content field is stored,
        for haystack's ``result.text`` and ``highlight()`` (+6 % index size)."""
        content_field_name, schema = super().build_schema(fields)
        ours = search_fields()
        columns = {}
        for name in schema.names():
            if name == content_field_name:
                columns[name] = text_field(stored=True)
            elif name in ours:
                columns[name] = ours[name]
            elif name in EXACT_FIELDS:
                columns[name] = WHOOSH_ID(stored=True, sortable=True)
            elif name == VERSION_FIELD:
                columns[name] = STORED()
            elif name == ARCHIVE_FIELD:
                columns[name] = WHOOSH_ID()  # indexed, read from the lexicon
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
            return segment_writer(self.index, procs=procs, multisegment=True, **WRITER_SETTINGS)
        return segment_writer(self.index, **WRITER_SETTINGS)

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

    def batched_writes(self) -> AbstractContextManager[None]:
        """``one_commit``: the drain's writes go to one writer, committed once."""
        return one_commit()

    def writer_processes(self, procs: int) -> AbstractContextManager[None]:
        """``index_writer_procs``: bulk writes analyze in ``procs`` Whoosh processes."""
        return index_writer_procs(procs)

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher from the process's pool, reopened only when the index changed.

        Opening a searcher reads every segment's table of contents: ~100 ms of a
        search at 2,000 reports (docs/benchmarks.md). The stamp is the TOC
        generation and the inode, size and mtime of every index file, so an
        index deleted and rebuilt to the same generation, or a file damaged in
        place, is still seen as new.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        stamp = self._stamp()
        searcher = _pool.take(self.path, stamp) or self.index.searcher(weighting=ArchiveBM25F())
        _searchers.stamp = stamp
        try:
            yield searcher
        except BaseException:
            searcher.close()  # a failed search may leave it half-read: start afresh
            raise
        _pool.give_back(self.path, stamp, searcher)

    def warm(self, keep_searcher: bool = True) -> bool:
        """Open (or find) this process's searcher for the current index and read what
        a first search would: order and facet columns, field lengths.

        Called before gunicorn forks (the per-segment values, then the searcher is
        closed) and in each worker after (its own searcher), then again whenever
        the index changed (search/warming.py), so no reader pays it. True when
        there was an index to warm; ``keep_searcher=False`` closes the process's
        searchers after (before a fork: no open file or map crosses it).
        """
        if self.use_file_storage and not os.path.isdir(self.path):
            return False
        with _unavailable_when_damaged(), self._searcher() as searcher:
            if searcher.doc_count_all() == 0:
                return False
            order_columns(searcher)
            _facet_codes(searcher)  # and the columns they are coded from
            warm_lengths(searcher)
        self.index_status()  # the archive stamps the health check reads
        if not keep_searcher:
            _pool.forget()
        return True

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
        query: Node,
        *,
        filters: dict[str, list[str]] | None = None,
        years: tuple[str | None, str | None] = (None, None),
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
    ) -> Hits:
        """Search with exact filters; facets count every hit, not one page.

        Results are remembered while the index is unchanged (the stamp of
        ``_searcher``), for every worker (search/result_memo.py): analysts page,
        re-sort and toggle facets of the same query, and a common word costs
        Whoosh 100+ ms to score and facet.
        """
        with _unavailable_when_damaged(), self._searcher() as searcher:
            key = (repr(query), sorted((filters or {}).items()), years, sort, offset, limit)
            stamp = _searchers.stamp
            remembered = _results.get(self.path, stamp, repr(key))
            if remembered is not None:
                return remembered
            compiled = compile_query(query)
            hits = self._search(searcher, compiled, filters, years, sort, offset, limit)
            _results.put(self.path, stamp, repr(key), hits)
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
        """The query's matches, then the filters, the facets and the page from them.

        What a query matches, and once it is asked again its whole ranking, are
        remembered per index state for every worker (search/whoosh_ranking.py): the
        same words with other filters, another sort or another page score nothing
        again. A date sort scores nothing at all (its ties go by report id:
        whoosh_order.py). ``tests/test_search_speed_facets.py`` proves the same hits,
        scores, totals and facets as Whoosh's ``groupedby`` on every path.
        """
        if searcher.doc_count() == 0:
            return Hits(total=0)
        ranked = self._remembered(searcher, "ranked", query)
        kept = None if ranked is not None else self._remembered(searcher, "matching", query)
        if ranked is not None:
            matching = ranked.matching()
        else:
            matching = set(kept or self._remembered(searcher, "matching", query, _matching_array))
        allowed = allowed_docs(searcher, filters or {}, years)
        if allowed is not None:
            matching &= allowed
        facets = facet_counts_of(searcher, matching)
        if SORTS.get(sort) is not None:
            docnums = date_page(searcher, matching, newest=SORTS[sort], offset=offset, limit=limit)
            return self._hits(searcher, len(matching), [(0.0, d) for d in docnums], facets)
        if ranked is None and kept is not None and len(matching) > SCORED_ONE_BY_ONE:
            ranked = self._remembered(searcher, "ranked", query, rank_all)  # asked again
        return self._hits(
            searcher,
            len(matching),
            self._ranked_page(searcher, query, ranked, matching, offset, limit),
            facets,
        )

    def _ranked_page(
        self,
        searcher: Searcher,
        query: wq.Query,
        ranked: Ranked | None,
        matching: set[int],
        offset: int,
        limit: int,
    ) -> list[tuple[float, int]]:
        """The page in relevance order: from the kept ranking; else the few
        candidates scored one by one; else (a first ask) Whoosh's top-N."""
        if ranked is not None:
            return ranked.page(matching, offset, limit)
        if len(matching) <= SCORED_ONE_BY_ONE:
            return score_docs(searcher, query, matching)[offset : offset + limit]
        return top_page(searcher, query, matching, offset, limit)

    def _remembered(self, searcher: Searcher, what: str, query: wq.Query, compute=None):
        """``compute(searcher, query)`` kept in the shared cache per index state
        (None when not kept and there is no ``compute``)."""
        stamp, key = _searchers.stamp, f"{what}:{query!r}"
        found = _results.get(self.path, stamp, key)
        if found is None and compute is not None:
            found = compute(searcher, query)
            _results.put(self.path, stamp, key, found)
        return found

    def _hits(
        self,
        searcher: Searcher,
        total: int,
        page: list[tuple[float, int]],
        facets: dict[str, list[tuple[str, int]]],
    ) -> Hits:
        """Hits from (score, docnum) pairs in order (a date sort's scores are 0)."""
        _, ids = order_columns(searcher)
        return Hits(
            total=total,
            ids=[ids[d] for _, d in page],
            scores={ids[d]: float(score) for score, d in page},
            facets=facets,
        )

    def index_status(self) -> IndexStatus:
        """Live documents and the archive stamps in the lexicon, read once per
        searcher (so once per index change). A deleted index folder is an empty
        index: the next import would recreate it holding only its own reports.
        An index older than the stamp has none: another archive's, rebuilt."""
        if self.use_file_storage and not os.path.isdir(self.path):
            return IndexStatus(documents=0)
        with _unavailable_when_damaged(), self._searcher() as searcher:
            status = getattr(searcher, "_archive_status", None)
            if status is None:
                stamps: frozenset[str] = frozenset()
                if ARCHIVE_FIELD in searcher.schema:
                    lexicon = searcher.reader().lexicon(ARCHIVE_FIELD)
                    stamps = frozenset(term.decode("utf-8") for term in lexicon)
                status = searcher._archive_status = IndexStatus(searcher.doc_count(), stamps)
            return status

    def index_state(self) -> tuple:
        """The TOC generation and every index file's identity (``_stamp``): any
        commit, rebuild or damage in place is a new value; a missing folder, ()."""
        if self.use_file_storage and not os.path.isdir(self.path):
            return ()
        with _unavailable_when_damaged():
            if not self.setup_complete:
                self.setup()
            return self._stamp()

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


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
