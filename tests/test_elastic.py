"""The Elasticsearch backend (search/elastic.py), checked without a server.

A recording transport stands in for the node: it keeps every request the real
client sends (index creation, _bulk, _search) and answers like Elasticsearch
7.17. The mapping and the bulk and query bodies are checked for the seed
reports, and a small evaluator of the query DSL we emit, run over the indexed
token streams, must select the same seed reports as the Whoosh index does.
``test_live_*`` runs against ``SEARCH_URL`` when it answers, and says it was
skipped otherwise.
"""

import io
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from elasticsearch import Connection
from elasticsearch.exceptions import ConnectionError as ESConnectionError

from archive.models import Report
from search import engine
from search.elastic import (
    ArchiveElasticsearchBackend,
    SearchUnavailable,
    encode,
    grams_stream,
    search_body,
    text_stream,
)
from search.elastic_query import es_query
from search.indexing import backend, drain_queue, report_index
from search.query import parse_query
from search.search_indexes import document_text
from search.selectors import synonym_table
from textkit import Token

from .conftest import SEEDS_DIR

INFO = {
    "version": {"number": "7.17.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}
ALL_SEEDS = {"000", "001", "002", "003", "004"}
#: query -> the reports both engines must find (seed prefixes; "gap" is GAP_REPORT).
QUERIES = {
    "人才公寓": {"000", "002", "004"},
    "泸州": {"004"},
    "瀘州": {"004"},
    '"拎包入住"': {"000", "002", "004"},  # not "gap": the comma breaks the phrase
    "拎包 入住": {"000", "002", "004", "gap"},
    "人才 -德州": {"000", "001", "002", "004"},
    "房": ALL_SEEDS,
    "A类": set(),
    "高层次人才引进": ALL_SEEDS,
    "住房 OR 公寓": ALL_SEEDS,
    "-人才公寓": {"001", "003", "gap"},
    "博士后": {"001", "002", "003", "004"},
    "25万元": {"004"},
    "人才驿站": {"004", "gap"},
}


class RecordingConnection(Connection):
    """Answers like an empty Elasticsearch 7.17 node and records every request."""

    log: list[tuple[str, str, str]] = []
    search_response: dict = {"hits": {"total": {"value": 0}, "hits": []}}
    down = False

    def perform_request(
        self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None
    ):
        if self.down:
            raise ESConnectionError("N/A", "connection refused", None)
        path = url.split("?")[0]
        text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
        if path == "/":
            return 200, {"X-Elastic-Product": "Elasticsearch"}, json.dumps(INFO)
        self.log.append((method, path, text))
        status, payload = self._answer(method, path)
        if not 200 <= status < 300 and status not in ignore:
            self._raise_error(status, json.dumps(payload))
        return status, {"content-type": "application/json"}, json.dumps(payload)

    def _answer(self, method: str, path: str) -> tuple[int, dict]:
        if method == "HEAD":
            return 404, {}
        if path.endswith("/_search"):
            return 200, self.search_response
        if path.endswith("/_bulk"):
            return 200, {"took": 1, "errors": False, "items": []}
        return 200, {"acknowledged": True}


@pytest.fixture
def es() -> ArchiveElasticsearchBackend:
    RecordingConnection.log = []
    RecordingConnection.down = False
    return ArchiveElasticsearchBackend(
        "default",
        URL="http://127.0.0.1:9200",
        INDEX_NAME="archive_test",
        SILENTLY_FAIL=False,
        INDEX_SETTINGS={"number_of_shards": 3, "number_of_replicas": 1},
        KWARGS={"connection_class": RecordingConnection},
    )


#: 拎包 and 入住 side by side but for a comma: the phrase must not cross it.
GAP_REPORT = "德州市青年驿站简报\n青年人才可拎包，入住手续当天办结。德州市人才集团承办。\n"


@pytest.fixture
def seeded(db, tmp_path) -> dict[str, int]:
    """The five seeds and the comma report (``gap``), indexed in Whoosh; prefix -> id."""
    backend().clear()
    gap = tmp_path / "gap.txt"
    gap.write_text(GAP_REPORT, encoding="utf-8")
    call_command(
        "import_reports",
        *sorted(map(str, SEEDS_DIR.glob("*.txt"))),
        str(gap),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    drain_queue()
    return {r.original_name.rsplit("/", 1)[-1][:3]: r.pk for r in Report.objects.all()}


def requests(method: str, suffix: str) -> list[str]:
    return [
        body for m, path, body in RecordingConnection.log if m == method and path.endswith(suffix)
    ]


def bulk_documents(es, reports) -> list[dict]:
    es.update(report_index(), reports)
    (body,) = requests("POST", "/_bulk")
    lines = [json.loads(line) for line in body.splitlines() if line]
    return [
        dict(doc, _id=action["index"]["_id"])
        for action, doc in zip(lines[::2], lines[1::2], strict=True)
    ]


# --- the token stream ---------------------------------------------------------------


def test_tokens_sharing_a_position_are_joined_and_punctuation_leaves_a_gap():
    assert text_stream("泸州市人才公寓，拎包入住") == "泸州市|泸州|州市 人才 公寓 | 拎包 入住"
    assert grams_stream("泸州市，拎包") == "泸|泸州 州|州市 市 | 拎|拎包 包"


def test_a_blank_line_leaves_a_gap_and_a_line_break_alone_does_not():
    assert grams_stream("拎包\n\n入住") == "拎|拎包 包 | 入|入住 住"
    assert grams_stream("拎包\n入住") == "拎|拎包 包|包入 入|入住 住"


def test_traditional_text_is_indexed_in_its_simplified_normal_form():
    assert text_stream("瀘州市人才公寓") == text_stream("泸州市人才公寓")
    assert grams_stream("瀘州") == "泸|泸州 州"


def test_encode_keeps_whooshs_positions_however_far_apart():
    tokens = [Token("a", 0, 0, 1), Token("b", 3, 5, 6)]
    assert encode(tokens) == "a | | b"


# --- mapping, bulk and query bodies ----------------------------------------------------


def test_a_new_index_gets_the_whitespace_analyzer_and_exact_facet_fields(es):
    es.setup()
    (body,) = requests("PUT", "/archive_test")
    created = json.loads(body)
    assert created["settings"]["index"] == {"number_of_shards": 3, "number_of_replicas": 1}
    analyzer = created["settings"]["analysis"]["analyzer"]["archive_tokens"]
    assert analyzer["tokenizer"] == "archive_whitespace"
    assert analyzer["filter"] == ["archive_same_position", "archive_gap"]
    properties = created["mappings"]["properties"]
    for name in ("text", "title", "grams", "title_grams"):
        assert properties[name] == {"type": "text", "analyzer": "archive_tokens"}
    for name in (
        "province", "city", "year", "doc_type", "source", "issuer", "doc_number", "django_id", "id"
    ):  # fmt: skip
        assert properties[name] == {"type": "keyword"}, name
    assert properties["published"] == {"type": "date"}
    assert properties["version"] == {"type": "keyword", "index": False}
    assert created["mappings"]["_source"] == {"excludes": ["text", "title", "grams", "title_grams"]}


def test_the_bulk_body_carries_each_seed_as_pre_tokenized_text(es, seeded):
    reports = list(Report.objects.select_related("city", "province").order_by("pk"))
    docs = {doc["_id"]: doc for doc in bulk_documents(es, reports)}
    assert set(docs) == {f"archive.report.{r.pk}" for r in reports}
    luzhou = docs[f"archive.report.{seeded['004']}"]
    report = Report.objects.get(pk=seeded["004"])
    assert luzhou["text"] == text_stream(document_text(report))
    assert luzhou["grams"] == grams_stream(document_text(report))
    assert luzhou["title"] == text_stream(report.title)
    assert "泸|泸州" in luzhou["grams"].split() and "瀘" not in luzhou["grams"]
    assert (luzhou["city"], luzhou["province"], luzhou["year"]) == ("泸州市", "四川省", "2024")
    assert (luzhou["doc_type"], luzhou["published"]) == ("proposal_reply", "2024-06-18T00:00:00")
    assert luzhou["django_id"] == str(seeded["004"])


def test_a_quoted_phrase_becomes_match_phrase_on_grams_with_a_boosted_title_phrase():
    assert es_query(parse_query('"拎包入住"').query) == {
        "bool": {
            "should": [
                {"match_phrase": {"grams": {"query": "拎包 包入 入住", "slop": 0}}},
                {"match_phrase": {"title": {"query": "拎包 入住", "slop": 0, "boost": 2.0}}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_an_exclusion_becomes_must_not_and_a_lone_character_a_grams_term():
    assert es_query(parse_query("房 -德州").query) == {
        "bool": {
            "must": [{"term": {"grams": {"value": "房"}}}],
            "must_not": [
                {
                    "bool": {
                        "should": [{"term": {"grams": {"value": "德州"}}}],
                        "minimum_should_match": 1,
                    }
                }
            ],
        }
    }


def test_the_search_body_has_filters_facets_sort_and_paging():
    body = search_body(
        parse_query("人才").query,
        filters={"city": ["泸州市", "兰州市"], "doc_type": ["news"], "bogus": ["x"]},
        years=("2023", None),
        sort="newest",
        offset=40,
        limit=20,
    )
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"city": ["泸州市", "兰州市"]}},
        {"terms": {"doc_type": ["news"]}},
        {"range": {"year": {"gte": "2023"}}},
    ]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["sort"] == [
        {"published": {"order": "desc", "missing": "_last"}},
        {"django_id": {"order": "asc"}},
    ]
    assert set(body["aggs"]) == {"province", "city", "year", "doc_type", "issuer"}
    assert search_body(parse_query("人才").query)["sort"] == [
        "_score",
        {"published": {"order": "desc", "missing": "_last"}},
        {"django_id": {"order": "asc"}},
    ]


def test_pages_past_the_result_window_ask_for_no_hits_but_keep_counts():
    body = search_body(parse_query("人才").query, offset=20_000, limit=20)
    assert (body["from"], body["size"]) == (10_000, 0)
    assert search_body(parse_query("人才").query, offset=9_990, limit=20)["size"] == 10


def test_analyst_search_sends_the_body_and_reads_ids_total_and_facets(es):
    RecordingConnection.search_response = {
        "hits": {
            "total": {"value": 2},
            "hits": [
                {"_score": 3.5, "_source": {"django_id": "7"}},
                {"_score": 1.25, "_source": {"django_id": "3"}},
            ],
        },
        "aggregations": {
            "city": {
                "buckets": [
                    {"key": "北京市", "doc_count": 1},
                    {"key": "兰州市", "doc_count": 1},
                    {"key": "德州市", "doc_count": 3},
                ]
            },
            "year": {"buckets": [{"key": "", "doc_count": 1}]},
        },
    }
    hits = es.analyst_search(parse_query("人才").query, filters={"year": ["2024"]})
    assert (hits.total, hits.ids, hits.scores) == (2, [7, 3], {7: 3.5, 3: 1.25})
    # by count, then value (兰 before 北 before 德 by value alone)
    assert hits.facets["city"] == [("德州市", 3), ("兰州市", 1), ("北京市", 1)]
    assert hits.facets["year"] == [] and hits.facets["province"] == []
    (sent,) = requests("POST", "/archive_test/_search")
    assert json.loads(sent) == search_body(parse_query("人才").query, filters={"year": ["2024"]})


def test_an_unreachable_engine_is_the_contracts_search_unavailable_so_pages_answer_503(es):
    RecordingConnection.down = True
    with pytest.raises(SearchUnavailable):
        es.analyst_search(parse_query("人才").query)


# --- same matches as Whoosh ---------------------------------------------------------


def _positions(stream: str) -> dict[str, set[int]]:
    """What archive_tokens makes of a stream: term -> positions (see search/elastic.py)."""
    found: dict[str, set[int]] = {}
    for pos, token in enumerate(stream.split()):
        for term in token.split("|"):
            if term:
                found.setdefault(term, set()).add(pos)
    return found


def _matches(clause: dict, doc: dict) -> bool:
    """The query DSL subset es_query/filter_clauses emit, evaluated on one document."""
    ((kind, spec),) = clause.items()
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "term":
        ((field, value),) = spec.items()
        wanted = value["value"]
        return wanted in doc[field] if isinstance(doc[field], dict) else doc[field] == wanted
    if kind == "terms":
        ((field, values),) = spec.items()
        return doc[field] in values
    if kind == "match_phrase":
        ((field, phrase),) = spec.items()
        assert phrase["slop"] == 0
        words, index = phrase["query"].split(), doc[field]
        starts = index.get(words[0], set())
        return any(all(p + i in index.get(w, ()) for i, w in enumerate(words)) for p in starts)
    if kind == "bool":
        must = all(_matches(c, doc) for c in spec.get("must", []) + spec.get("filter", []))
        must_not = any(_matches(c, doc) for c in spec.get("must_not", []))
        should = spec.get("should", [])
        needed = spec.get("minimum_should_match", 0 if "must" in spec else 1)
        return must and not must_not and sum(_matches(c, doc) for c in should) >= needed
    raise AssertionError(f"unexpected clause {kind}")


@pytest.mark.parametrize(("q", "expected"), QUERIES.items())
def test_the_es_query_selects_the_same_reports_as_whoosh(es, seeded, q, expected):
    prefix = {pk: name for name, pk in seeded.items()}
    reports = list(Report.objects.select_related("city", "province"))
    docs = [
        {**doc, **{name: _positions(doc[name]) for name in ("text", "title", "grams")}}
        for doc in bulk_documents(es, reports)
    ]
    tree = parse_query(q, synonyms=synonym_table()).query
    query = search_body(tree)["query"]
    chosen = {prefix[int(doc["django_id"])] for doc in docs if _matches(query, doc)}
    # the query tree itself, without the partial matches the page adds below it
    whoosh = {prefix[pk] for pk in engine.search(tree, limit=100).ids}
    assert chosen == whoosh == expected


# --- settings and a live server -----------------------------------------------------


def _settings_process(**env: str) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(settings.HAYSTACK_CONNECTIONS['default'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )


def test_search_engine_elasticsearch_switches_haystack_to_our_backend():
    done = _settings_process(SEARCH_ENGINE="elasticsearch", SEARCH_URL="http://es:9200")
    assert done.returncode == 0, done.stderr
    assert "'ENGINE': 'search.elastic.ArchiveElasticsearchEngine'" in done.stdout
    assert "'URL': 'http://es:9200'" in done.stdout


def test_search_engine_elasticsearch_without_a_url_is_refused():
    done = _settings_process(SEARCH_ENGINE="elasticsearch", SEARCH_URL="")
    assert done.returncode != 0
    assert "needs SEARCH_URL" in done.stderr


def _live_url() -> str:
    url = os.environ.get("SEARCH_URL", "")
    if not url:
        pytest.skip("live Elasticsearch test skipped: SEARCH_URL is not set")
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310 (operator's URL)
            json.load(answer)
    except (OSError, ValueError) as exc:
        pytest.skip(f"live Elasticsearch test skipped: SEARCH_URL={url} does not answer ({exc})")
    return url


def test_live_elasticsearch_finds_what_whoosh_finds_for_the_seeds(seeded):
    url = _live_url()
    seeded_by_id = {pk: name for name, pk in seeded.items()}
    live = ArchiveElasticsearchBackend(
        "default", URL=url, INDEX_NAME=f"archive_test_{uuid.uuid4().hex[:8]}", SILENTLY_FAIL=False
    )
    try:
        live.update(report_index(), list(Report.objects.select_related("city", "province")))
        for q, expected in QUERIES.items():
            found = live.analyst_search(parse_query(q).query, limit=100)
            assert {seeded_by_id[pk] for pk in found.ids} == expected, q
        assert live.indexed_versions().keys() == set(seeded.values())
    finally:
        live.clear()
