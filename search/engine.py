"""The search engine contract: all that views and the domain may ask of an engine.

Two engines implement it, selected by settings alone (``SEARCH_ENGINE``):
``search.backend`` (haystack's Whoosh backend, subclassed) and ``search.elastic``
(haystack's Elasticsearch 7 backend, subclassed). Both declare ``Engine`` below and
``tests/test_engine_contract.py`` checks that they do, so a method is no longer
matched by name in two files. Only the engines' own modules import Whoosh or
Elasticsearch (``tests/test_architecture.py``): a query reaches an engine as the
project's own nodes (``search.query_nodes``: terms, phrases, AND, OR, NOT, on
named fields), which ``search.whoosh_query`` and ``search.elastic_query`` compile.

Reads (``search``, ``similar_reports``, ``indexed_versions``) raise ONE exception
when the engine cannot answer: ``SearchUnavailable``. Views turn it into the
"being rebuilt" page or JSON (503); every other page keeps serving. ``search`` and
``similar_reports`` first check that the index is this database's (lost, partial
or another archive's: search/health.py), never serving a silently partial result.

Writes are never made from a request or inside a transaction: the domain queues
report ids (``enqueue``) in its transaction and the queue is drained after commit
(``drain_queue_quietly``, ``deferred_indexing``; search/indexing.py), by one writer
at a time (search/locking.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast, runtime_checkable

from archive.models import HEAVY_FIELDS, Report

from . import health
from .indexing import backend, deferred_indexing, drain_queue_quietly, enqueue
from .query_nodes import Node
from .search_indexes import document_id, document_text
from .similar_memo import similar_ids

__all__ = [
    "EXACT_FIELDS",
    "FACET_FIELDS",
    "SORTS",
    "VERSION_FIELD",
    "Engine",
    "Hits",
    "IndexStatus",
    "SearchUnavailable",
    "checked",
    "current",
    "deferred_indexing",
    "drain_queue_quietly",
    "enqueue",
    "indexed_versions",
    "search",
    "similar_reports",
    "writer_processes",
]

#: exact-valued fields a search can be filtered and faceted on (untokenized values:
#: faceting analyzed text would count word pieces, 杭州市 -> 州市).
EXACT_FIELDS = ("province", "city", "year", "doc_type", "source", "issuer", "doc_number")
#: 文号 is a filter, not a facet: each document has its own.
FACET_FIELDS = ("province", "city", "year", "doc_type", "issuer")
#: sort name -> newest first (True), oldest first (False), or by score (None).
SORTS = {"relevance": None, "newest": True, "oldest": False}
#: stored only: the report's updated_at when indexed, for check_index.
VERSION_FIELD = "version"

Years = tuple[str | None, str | None]


class SearchUnavailable(Exception):
    """The engine cannot answer: index deleted, damaged or being rebuilt, server down.

    Search pages answer 503 "being rebuilt"; reading pages serve without search
    (a report page without its similar reports). The one "index down" error: each
    engine translates its own (Whoosh's EmptyIndexError, a damaged segment, an
    Elasticsearch TransportError) into it.
    """


@dataclass
class Hits:
    """One page of hits: report ids with scores, the total, and facet counts."""

    total: int
    ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: how many of ``total`` hold every word when reports holding only some of them
    #: follow (search.partial_matches); None when every hit holds every word.
    all_words: int | None = None


@dataclass(frozen=True)
class IndexStatus:
    """What the index holds: live documents and the archive stamps they carry."""

    documents: int
    archives: frozenset[str] = frozenset()


@runtime_checkable
class Engine(Protocol):
    """What an engine backend implements (haystack's ``update``/``remove``/``clear``
    plus the archive's reads). ``query`` is ``search.query_nodes`` nodes built by
    ``search.query``."""

    def analyst_search(
        self,
        query: Node,
        *,
        filters: dict[str, list[str]] | None = None,
        years: Years = (None, None),
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
    ) -> Hits:
        """A page of hits with exact filters; facets count every hit, not one page."""
        ...

    def similar(self, *, doc_id: str, text: str, limit: int = 5) -> list[int]:
        """Report ids most like ``text`` (the document ``doc_id``), best first."""
        ...

    def indexed_versions(self) -> dict[int, str | None]:
        """Every indexed report id with the version it was indexed at."""
        ...

    def index_status(self) -> IndexStatus:
        """Documents and archive stamps; a lost index is empty, not an error."""
        ...

    def index_state(self) -> Hashable | None:
        """A value that changes whenever the index's documents may have changed,
        read without searching (None: the engine cannot tell cheaply)."""
        ...

    def update(self, index: Any, iterable: Iterable[Any], commit: bool = True) -> None:
        """Write these objects' documents (haystack's signature)."""
        ...

    def remove(self, obj_or_string: Any, commit: bool = True) -> None:
        """Delete one document (haystack's signature)."""
        ...

    def clear(self, models: Any = None, commit: bool = True) -> None:
        """Delete every document (haystack's signature)."""
        ...

    def batched_writes(self) -> AbstractContextManager[None]:
        """Writes in this thread are committed once, on exit (a queue drain)."""
        ...

    def writer_processes(self, procs: int) -> AbstractContextManager[None]:
        """Writes in this thread may use ``procs`` processes (bulk imports)."""
        ...

    def warm(self, keep_searcher: bool = True) -> bool:
        """Read now what the next search would (search/warming.py); False when
        there is nothing to warm. ``keep_searcher=False`` closes what it opened."""
        ...


def current() -> Engine:
    """The configured engine (haystack's default connection)."""
    return cast(Engine, backend())


def _the_archives_engine() -> Engine:
    """The engine, if its index is this database's; else ``SearchUnavailable``
    and a rebuild is scheduled (search/health.py)."""
    return _the_archives_engine_and_status()[0]


def _the_archives_engine_and_status() -> tuple[Engine, IndexStatus]:
    """``_the_archives_engine`` and the index status it checked (one ask: under
    Elasticsearch the status is a request)."""
    engine = current()
    status = engine.index_status()
    reason = health.index_drift(status)
    if reason is not None:
        health.schedule_rebuild(reason)
        raise SearchUnavailable(f"search index being rebuilt: {reason}")
    return engine, status


def checked() -> Engine:
    """The engine once its index is found to be this database's (as ``search``
    checks before each call): the searches of one request, a page and its partial
    matches (search/partial_matches.py), share one check."""
    return _the_archives_engine()


def search(
    query: Node,
    *,
    filters: dict[str, list[str]] | None = None,
    years: Years = (None, None),
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
) -> Hits:
    """A page of hits for a query built by ``search.query``."""
    return _the_archives_engine().analyst_search(
        query, filters=filters, years=years, sort=sort, offset=offset, limit=limit
    )


def similar_reports(report: Report, *, limit: int = 5) -> list[Report]:
    """Reports most like ``report``, best first, loaded in one query."""
    engine, status = _the_archives_engine_and_status()
    ids = similar_ids(
        engine,
        status,
        doc_id=document_id(report.pk),
        text=document_text(report),
        limit=limit,
    )
    found = Report.objects.select_related("city", "province").defer(*HEAVY_FIELDS).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found and pk != report.pk]


def indexed_versions() -> dict[int, str | None]:
    """Every indexed report id with its version stamp (``check_index``)."""
    return current().indexed_versions()


def writer_processes(procs: int) -> AbstractContextManager[None]:
    """Index writes in this thread may use ``procs`` processes (``import_reports``)."""
    return current().writer_processes(procs)
