"""haystack's Elasticsearch 7 backend, fed the project's own token stream.

Selected by settings alone (``SEARCH_ENGINE=elasticsearch``, ``SEARCH_URL``); the
rest of the code sees the same ``search.engine.Engine`` contract as with Whoosh
(search.backend); a server error is ``SearchUnavailable``. Subclassed, never
copied (STYLE.md).

Why pre-tokenized text: results must not depend on a server-side Chinese plugin
(DESIGN.md, "Scale-out path"), so documents are analyzed here, by textkit
(OpenCC t2s -> NFKC -> jieba, the Whoosh index's exact stream), and sent as text
the server only has to split. One whitespace-separated token per position; tokens
sharing a position (jieba's search-mode sub-words, a bigram beside its unigram)
are joined by ``|`` and split back, at the same position, by a ``pattern_capture``
filter; a lone ``|`` marks a punctuation gap and is dropped by a ``stop`` filter,
which leaves the position empty. So phrases match exactly where they match in
Whoosh: never across punctuation, and a sub-word can start a phrase.

Queries are not parsed again: search.query's nodes (search.query_nodes) are
compiled by search.elastic_query into ``term``/``match_phrase``/``bool`` clauses
on the same fields, so the analyst's syntax means the same thing on both
engines. Scores differ a little (Lucene BM25 vs Whoosh BM25F); matches and
filters do not.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import elasticsearch
import haystack
from elasticsearch.helpers import scan
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)
from haystack.constants import DJANGO_ID, ID

import textkit
from search.elastic_query import es_query
from search.engine import (
    EXACT_FIELDS,
    FACET_FIELDS,
    SORTS,
    VERSION_FIELD,
    Hits,
    IndexStatus,
    SearchUnavailable,
)
from search.query_nodes import GRAMS_FIELD, TEXT_FIELD, TITLE_FIELD, TITLE_GRAMS_FIELD, Node
from search.search_indexes import ARCHIVE_FIELD

ANALYZER = "archive_tokens"
SAME_POSITION = "|"  # joins tokens that share one position; never inside a token
GAP = "|"  # alone: an empty position (punctuation), dropped by the stop filter
#: Elasticsearch's default index.max_result_window: from + size beyond it fails.
MAX_WINDOW = 10_000
#: more values than any facet has (the gazetteer lists ~3,200 cities).
FACET_SIZE = 5_000

ANALYSIS = {
    "tokenizer": {
        # Long runs (a URL-like token) stay whole, as in Whoosh; Lucene's own
        # limit for one term is 32,766 bytes.
        "archive_whitespace": {"type": "whitespace", "max_token_length": 4096},
    },
    "filter": {
        "archive_same_position": {
            "type": "pattern_capture",
            "preserve_original": False,
            "patterns": ["([^|]+)"],
        },
        "archive_gap": {"type": "stop", "stopwords": [GAP], "ignore_case": False},
    },
    "analyzer": {
        ANALYZER: {
            "type": "custom",
            "tokenizer": "archive_whitespace",
            "filter": ["archive_same_position", "archive_gap"],
        }
    },
}


def encode(tokens: list[textkit.Token]) -> str:
    """A token stream as text the ``archive_tokens`` analyzer turns back into it.

    ``tokens`` come in position order (textkit guarantees it); skipped
    positions become ``GAP`` tokens so phrase positions line up with Whoosh's.
    """
    out: list[str] = []
    last = -1
    for tok in tokens:
        text = "".join(c for c in tok.text if not c.isspace() and c != SAME_POSITION)
        if not text:
            continue
        if tok.pos == last and out:
            if text not in out[-1].split(SAME_POSITION):
                out[-1] += SAME_POSITION + text
            continue
        out.extend([GAP] * (tok.pos - last - 1))
        out.append(text)
        last = tok.pos
    return " ".join(out)


def text_stream(value: str) -> str:
    """``text`` and ``title``: jieba words with search-mode sub-words (index mode)."""
    return encode(textkit.tokenize(value or "", subwords=True))


def grams_stream(value: str) -> str:
    """``grams``: Han unigrams and bigrams, word runs whole (index mode)."""
    return encode(textkit.grams(value or ""))


STREAMS: dict[str, Callable[[str], str]] = {
    TEXT_FIELD: text_stream,
    TITLE_FIELD: text_stream,
    GRAMS_FIELD: grams_stream,
    TITLE_GRAMS_FIELD: grams_stream,
}


def filter_clauses(
    filters: dict[str, list[str]], years: tuple[str | None, str | None]
) -> list[dict]:
    """Exact filters (search.whoosh_collect.filter_query's twin): OR within a field, AND across."""
    clauses: list[dict] = [
        {"terms": {name: list(values)}}
        for name, values in filters.items()
        if name in EXACT_FIELDS and values
    ]
    low, high = years
    if low or high:
        bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v}
        clauses.append({"range": {"year": bounds}})
    return clauses


def search_body(
    query: Node,
    *,
    filters: dict[str, list[str]] | None = None,
    years: tuple[str | None, str | None] = (None, None),
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
) -> dict:
    """One request for a page of ids, the exact total and every facet's counts."""
    start = min(offset, MAX_WINDOW)
    body: dict = {
        "query": {
            "bool": {"must": [es_query(query)], "filter": filter_clauses(filters or {}, years)}
        },
        "from": start,
        "size": max(0, min(limit, MAX_WINDOW - start)),
        "track_total_hits": True,
        "_source": [DJANGO_ID],
        "aggs": {
            name: {
                "terms": {
                    "field": name,
                    "size": FACET_SIZE,
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                }
            }
            for name in FACET_FIELDS
        },
    }
    # A total order, as on Whoosh (search/whoosh_order.py): ties by date, then id.
    by_id = {DJANGO_ID: {"order": "asc"}}
    if SORTS.get(sort) is not None:
        order = "desc" if SORTS[sort] else "asc"
        body["sort"] = [{"published": {"order": order, "missing": "_last"}}, by_id]
    else:
        newest = {"published": {"order": "desc", "missing": "_last"}}
        body["sort"] = ["_score", newest, by_id]
        body["track_scores"] = True
    return body


def hits_from_response(raw: dict) -> Hits:
    found = raw.get("hits", {})
    page = found.get("hits", [])
    ids = [int(hit["_source"][DJANGO_ID]) for hit in page]
    facets = {
        name: sorted(
            (
                (bucket["key"], bucket["doc_count"])
                for bucket in raw.get("aggregations", {}).get(name, {}).get("buckets", [])
                if bucket["key"] not in (None, "")
            ),
            key=lambda item: (-item[1], item[0]),
        )
        for name in FACET_FIELDS
    }
    return Hits(
        total=found.get("total", {}).get("value", 0),
        ids=ids,
        scores={int(h["_source"][DJANGO_ID]): float(h.get("_score") or 0.0) for h in page},
        facets=facets,
    )


# --- the haystack backend --------------------------------------------------------------


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    """Options beyond haystack's: ``INDEX_SETTINGS`` (shards, replicas) for a new index."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.index_settings = dict(connection_options.get("INDEX_SETTINGS", {}))

    def index_body(self) -> dict:
        """Settings and mappings of a new index (a mapping change means rebuild_index)."""
        unified = haystack.connections[self.connection_alias].get_unified_index()
        self.content_field_name, properties = self.build_schema(unified.all_searchfields())
        return {
            "settings": {"index": self.index_settings, "analysis": ANALYSIS},
            "mappings": {
                # The token streams are long and only ever searched: keep them out of
                # _source (hits need the id alone; similar() sends its own text).
                "_source": {"excludes": list(STREAMS)},
                "properties": properties,
            },
        }

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        mapping[ID] = {"type": "keyword"}
        for name in mapping:
            if name in STREAMS:
                mapping[name] = {"type": "text", "analyzer": ANALYZER}
            elif name in EXACT_FIELDS or name == ARCHIVE_FIELD:
                mapping[name] = {"type": "keyword"}
            elif name == VERSION_FIELD:
                mapping[name] = {"type": "keyword", "index": False}
        return content_field_name, mapping

    def setup(self):
        """Create the index with our settings and mappings when it does not exist.

        haystack's own setup compares mappings in a shape ES 7 never returns and
        re-puts them on every start; a new analyzer needs a new index anyway.
        """
        body = self.index_body()
        try:
            if not self.conn.indices.exists(index=self.index_name):
                self.conn.indices.create(index=self.index_name, **body)
        except elasticsearch.TransportError:
            if not self.silently_fail:
                raise
        self.existing_mapping = body["mappings"]
        self.setup_complete = True

    def _prepare_object(self, index, obj):
        prepared = super()._prepare_object(index, obj)
        for name, stream in STREAMS.items():
            if name in prepared:
                prepared[name] = stream(prepared[name])
        return prepared

    def batched_writes(self) -> AbstractContextManager[None]:
        """Nothing to batch: haystack sends each ``update`` as one bulk request."""
        return nullcontext()

    def writer_processes(self, procs: int) -> AbstractContextManager[None]:
        """One process: the server, not this client, does the indexing work."""
        return nullcontext()

    def _search(self, body: dict) -> dict:
        try:
            if not self.setup_complete:
                self.setup()
            # Keyword arguments, not the deprecated ``body=`` (elasticsearch-py #1698).
            fields = {("from_" if key == "from" else key): value for key, value in body.items()}
            return self.conn.search(index=self.index_name, **fields)
        except elasticsearch.TransportError as exc:
            raise SearchUnavailable(f"search engine error: {exc}") from exc

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
        """search.backend's analyst_search, over Elasticsearch (pages past 10,000
        hits come back empty but keep the total and facets)."""
        body = search_body(
            query, filters=filters, years=years, sort=sort, offset=offset, limit=limit
        )
        hits = self._search(body)
        return hits_from_response(hits) if offset < MAX_WINDOW else _without_page(hits)

    def similar(self, *, doc_id: str, text: str, limit: int = 5) -> list[int]:
        """More-like-this on the content field, from the report's own text."""
        body = {
            "query": {
                "bool": {
                    "must": {
                        "more_like_this": {
                            "fields": [TEXT_FIELD],
                            "like": text_stream(text),
                            "min_term_freq": 2,
                            "min_doc_freq": 1,
                            "max_query_terms": 25,
                        }
                    },
                    "must_not": {"ids": {"values": [doc_id]}},
                }
            },
            "size": limit,
            "_source": [DJANGO_ID],
        }
        return hits_from_response(self._search(body)).ids

    def index_status(self) -> IndexStatus:
        """Live documents and the archive stamps they carry (a terms aggregation)."""
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {ARCHIVE_FIELD: {"terms": {"field": ARCHIVE_FIELD, "size": 10}}},
        }
        raw = self._search(body)
        buckets = raw.get("aggregations", {}).get(ARCHIVE_FIELD, {}).get("buckets", [])
        return IndexStatus(
            documents=raw.get("hits", {}).get("total", {}).get("value", 0),
            archives=frozenset(str(b["key"]) for b in buckets),
        )

    def index_state(self) -> None:
        """Unknown here: another process may write the server's index, and asking
        would cost a request. Cached answers then follow every archive write."""
        return None

    def warm(self, keep_searcher: bool = True) -> bool:
        """Nothing to open: the server keeps its own searchers warm."""
        return False

    def indexed_versions(self) -> dict[int, str]:
        """Every indexed report id with its version stamp (for check_index)."""
        try:
            docs = scan(
                self.conn,
                index=self.index_name,
                query={"_source": [DJANGO_ID, VERSION_FIELD], "query": {"match_all": {}}},
            )
            return {int(d["_source"][DJANGO_ID]): d["_source"].get(VERSION_FIELD) for d in docs}
        except elasticsearch.TransportError as exc:
            raise SearchUnavailable(f"search engine error: {exc}") from exc


def _without_page(raw: dict) -> Hits:
    hits = hits_from_response(raw)
    return Hits(total=hits.total, facets=hits.facets)


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
