"""Reads for search: the result page the HTML view, the API and CSV all share."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.db.models import QuerySet

from archive import cache_versions
from archive.cache_versions import ARCHIVE, LISTED
from archive.models import HEAVY_FIELDS, Report
from archive.serializers import REPORT_GETTERS

from . import engine
from .engine import FACET_FIELDS, Hits, SearchUnavailable
from .facets import ordered
from .highlight import Segment, highlight_segments, render_segments
from .models import SynonymGroup
from .params import SearchParams
from .partial_matches import relaxed, with_partial_matches
from .query import ParsedQuery, parse_query, query_to_run, title_only
from .synonyms import EMPTY, SynonymTable, build_table, split_terms

EXPORT_LIMIT = 5000
#: Report columns a result never shows; the hit's ``clean_text`` is kept for its
#: highlights. Loading the uploaded text and evidence of every hit was ~6 ms of a
#: 20-hit search at 1,000 reports (profile of the bench query mix).
UNSHOWN_FIELDS = tuple(name for name in HEAVY_FIELDS if name != "clean_text")


@dataclass
class Hit:
    report: Report
    score: float
    snippets: list[list[Segment]]  # for templates, which escape each piece
    #: holds only some of the words (listed after every report holding them all)
    partial: bool = False

    @property
    def doc_type_label(self) -> str:
        """The doc type in the reader's language, as the API gives it (one dict
        lookup, not ``get_doc_type_display``'s gettext per hit)."""
        return str(REPORT_GETTERS["doc_type_label"](self.report))

    @property
    def highlights(self) -> list[str]:
        """HTML snippets for the API: escaped, matches in ``<mark>``."""
        return [render_segments(segments) for segments in self.snippets]


@dataclass
class SearchPage:
    params: SearchParams
    parsed: ParsedQuery
    total: int
    hits: list[Hit] = field(default_factory=list)
    #: of ``total``, how many hold every word when partial matches follow them
    all_words: int | None = None
    #: facet name -> (value, count), years newest first, the others by count.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    took_ms: float = 0.0

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.params.page_size))

    @property
    def past_end(self) -> bool:
        """A page beyond the last one (page=999 of 17): the reader needs a way back."""
        return self.params.page > self.num_pages


def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The enabled synonym groups' spellings (one small query: staff edits show at
    once in every worker)."""
    rows = SynonymGroup.objects.filter(enabled=True).order_by("pk").values_list("terms", flat=True)
    return tuple(tuple(split_terms(terms)) for terms in rows)


def answer_inputs() -> tuple:
    """What a search answer depends on besides the reports, for the key of a whole
    answer remembered (archive/page_cache.py): the synonym groups staff edit in the
    admin, what the index holds, and the state of its files (``index_state``: any
    write to the index is a new key). An index emptied or damaged behind the
    archive's back is a new key, so the view runs its health check and answers 503
    instead of an answer from before (read only: the check, and any rebuild it
    starts, stay the view's)."""
    try:
        current = engine.current()
        status, state = current.index_status(), current.index_state()
    except SearchUnavailable:
        status = state = None
    return synonym_groups(), status, state


def answer_versions() -> list[str]:
    """The versions a search answer follows besides ``answer_inputs``: ``LISTED``
    (a listed report edited, held, marked a duplicate or deleted) when the engine
    tells its index's state; else (a remote engine) every write's ``ARCHIVE``."""
    try:
        local = engine.current().index_state() is not None
    except SearchUnavailable:
        local = False
    return [LISTED] if local else [ARCHIVE]


def synonym_table() -> SynonymTable:
    """The enabled synonym groups as a table (built once per distinct set of groups)."""
    return build_table(synonym_groups())


def _parse(params: SearchParams) -> ParsedQuery:
    """The query as typed (``exact``) or widened by the synonym groups."""
    if not params.q.strip():
        return parse_query(params.q)
    return _parsed(params.q, None if params.exact else synonym_groups())


@lru_cache(maxsize=512)
def _parsed(q: str, groups: tuple[tuple[str, ...], ...] | None) -> ParsedQuery:
    """``parse_query`` remembered per text and synonym groups (None: as typed): widening
    by synonyms made parsing ~3 ms of a warm /api/search (issue 15's profile). The
    ParsedQuery is frozen, so requests can share it."""
    return parse_query(q, synonyms=EMPTY if groups is None else build_table(groups))


def _options(params: SearchParams) -> dict:
    years = (
        None if params.year_from is None else f"{params.year_from:04d}",
        None if params.year_to is None else f"{params.year_to:04d}",
    )
    return {"filters": params.filters(), "years": years, "sort": params.effective_sort}


def _run(
    params: SearchParams, parsed: ParsedQuery, *, offset: int, limit: int, partial: bool = False
) -> Hits:
    """The hits of every word; with ``partial``, continued by reports holding some
    of them when few hold all (search/partial_matches.py)."""
    query = query_to_run(parsed)
    if query is None:  # words given, nothing searchable in them (e.g. "*")
        return Hits(total=0)
    if params.title_only:
        query = title_only(query)
    options = _options(params)
    if not partial:
        return engine.search(query, **options, offset=offset, limit=limit)
    searcher = engine.checked()  # one index check for both searches
    hits = searcher.analyst_search(query, **options, offset=offset, limit=limit)
    loose = relaxed(query)
    widened = parsed.widened
    if widened is not None and params.title_only:
        widened = title_only(widened)
    return with_partial_matches(
        searcher, hits, query, loose, options, offset=offset, limit=limit, widened=widened
    )


def _facets(hits: Hits) -> dict[str, list[tuple[str, int]]]:
    return {name: ordered(name, hits.facets.get(name, [])) for name in FACET_FIELDS}


def _listed_reports() -> QuerySet[Report]:
    """Public reports with their place, as every list of results shows them. The
    index holds public reports only, but it lags a write by a drain: a report held
    or marked a duplicate a moment ago must not show meanwhile."""
    return Report.objects.public().select_related("city", "province")


def report_search(params: SearchParams, *, max_snippets: int = 3) -> SearchPage:
    """One page of results with highlights and facets, loaded in bulk."""
    started = time.perf_counter()
    parsed = _parse(params)
    offset = (params.page - 1) * params.page_size
    # exact=1 searches as typed: no synonyms and no partial matches
    partial = not params.exact
    hits = _run(params, parsed, offset=offset, limit=params.page_size, partial=partial)
    reports = _listed_reports().defer(*UNSHOWN_FIELDS).in_bulk(hits.ids)
    page = SearchPage(params=params, parsed=parsed, total=hits.total, all_words=hits.all_words)
    shown = [reports[pk] for pk in hits.ids if pk in reports]
    snippets_of = _snippets(shown, parsed, max_snippets)
    for position, pk in enumerate(hits.ids, start=offset):
        report = reports.get(pk)
        if report is None:  # deleted since indexing; the queue will catch up
            continue
        snippets = snippets_of[pk]
        partial = hits.all_words is not None and position >= hits.all_words
        page.hits.append(Hit(report, hits.scores.get(pk, 0.0), snippets, partial=partial))
    page.facets = _facets(hits)
    page.took_ms = (time.perf_counter() - started) * 1000
    return page


def _snippets(
    reports: list[Report], parsed: ParsedQuery, max_snippets: int
) -> dict[int, list[list[Segment]]]:
    """Each report's highlighted snippets (its title's when the text has none), kept
    in the shared cache by the digest of what they are cut from and the terms.

    Why: highlighting a page of 20 hits is ~13 ms of a search at 10,000 reports, and
    the same reports come back for the same words under other filters, sorts and
    pages, answered by any of the workers (each has its own ``highlight`` memo).
    """
    terms = tuple(parsed.highlight_terms)
    keys = {
        report.pk: _snippet_key(report.clean_text, report.title, terms, max_snippets)
        for report in reports
    }
    store = cache_versions.values()
    found = store.get_many(list(keys.values())) if reports else {}
    missing = {}
    out: dict[int, list[list[Segment]]] = {}
    for report in reports:
        snippets = found.get(keys[report.pk])
        if snippets is None:
            snippets = missing[keys[report.pk]] = computed_snippets(report, parsed, max_snippets)
        out[report.pk] = snippets
    if missing:
        store.set_many(missing)
    return out


def computed_snippets(
    report: Report, parsed: ParsedQuery, max_snippets: int
) -> list[list[Segment]]:
    """The report's snippets of its text, or of its title when the text has none."""
    return highlight_segments(
        report.clean_text, parsed, max_snippets=max_snippets
    ) or highlight_segments(report.title, parsed, max_snippets=1)


def _snippet_key(text: str, title: str, terms: tuple[str, ...], max_snippets: int) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (cache_versions.epoch(), text, title, repr((terms, max_snippets))):
        raw = part.encode("utf-8", "surrogatepass")
        digest.update(len(raw).to_bytes(8, "big") + raw)
    return f"snippets:{digest.hexdigest()}"


def report_search_all(params: SearchParams) -> list[Report]:
    """Every hit (up to EXPORT_LIMIT) in result order, for CSV export."""
    parsed = _parse(params)
    hits = _run(params, parsed, offset=0, limit=EXPORT_LIMIT, partial=not params.exact)
    reports = _listed_reports().defer(*HEAVY_FIELDS).in_bulk(hits.ids)
    return [reports[pk] for pk in hits.ids if pk in reports]


def report_feed(params: SearchParams, *, limit: int) -> list[Report]:
    """The newest ``limit`` hits of a saved search (undated last), for its Atom feed."""
    parsed = _parse(params)
    hits = _run(replace(params, sort="newest"), parsed, offset=0, limit=limit)
    reports = _listed_reports().defer(*UNSHOWN_FIELDS).in_bulk(hits.ids)
    return [reports[pk] for pk in hits.ids if pk in reports]
