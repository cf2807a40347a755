"""The search speed-ups give exactly what Whoosh's own code gives, on the seed reports.

- ``AdjacentPhrase`` (phrase positions checked on integer sets) against
  ``wq.Phrase``: same documents and spans, for every phrase the query mix builds;
- ``PreloadingOr`` (union array zeroed at C speed) against ``wq.Or``;
- together, through ``_one_pass`` and ``_two_pass``: the same hits in the same
  order with the same (unrounded) scores, totals and facets, for the query mix and
  a few harder queries, with filters, sorts and pages;
- ``similar`` (collection frequencies remembered per searcher) against
  ``Searcher.more_like``, for every seed report, twice (memo cold, then warm);
- result pages load the reports once, without their unshown heavy columns.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack.constants import DJANGO_ID
from whoosh import query as wq

from archive.models import Report
from bench.queries import QUERY_MIX
from search import whoosh_query
from search.indexing import backend
from search.query import parse_query
from search.search_indexes import document_text
from search.whoosh_matchers import AdjacentPhrase, PreloadingOr
from search.whoosh_query import compile_query
from search.whoosh_similar import text_weights

from .test_search_engine_equivalence import FILTERS

pytestmark = pytest.mark.django_db

HARDER = [
    "人才人才",
    "A类",
    "可拎包",
    "-德州",
    '人才 -"人才公寓"',
    "住房 OR 公寓 OR 补贴",
    "高层次人才的住房",
    '博士后 OR "人才公寓"',
    "房 补贴",
    '"人才 人才"',
]
QUERIES = [params["q"] for _, params in QUERY_MIX] + HARDER


@pytest.fixture
def whoosh_originals(monkeypatch):
    """Call to make the parser's query classes behave exactly as Whoosh's own."""

    def use() -> None:
        monkeypatch.setattr(AdjacentPhrase, "matcher", wq.Phrase.matcher)
        monkeypatch.setattr(PreloadingOr, "_matcher", wq.Or._matcher)

    return use


def phrases(query: wq.Query) -> list[AdjacentPhrase]:
    found = [query] if isinstance(query, AdjacentPhrase) else []
    for child in query.children():
        found.extend(phrases(child))
    return found


def spans_by_doc(searcher, query: wq.Query) -> dict[int, list[tuple[int, int]]]:
    """Every matching document (global number) with the spans the matcher reports."""
    out = {}
    for sub, offset in searcher.leaf_searchers():
        m = query.matcher(sub)
        while m.is_active():
            out[offset + m.id()] = [(s.start, s.end) for s in m.spans()]
            m.next()
    return out


def test_adjacent_phrase_matches_whoosh_phrase(indexed_seeds):
    built = [p for q in QUERIES for p in phrases(compile_query(parse_query(q).query))]
    assert len(built) > 20
    compared = nonempty = 0
    with backend()._searcher() as searcher:
        for phrase in built:
            reference = wq.Phrase(phrase.fieldname, phrase.words, boost=phrase.boost)
            expected = spans_by_doc(searcher, reference)
            for _ in range(2):  # phrase spans computed, then remembered
                assert spans_by_doc(searcher, phrase) == expected, phrase
            assert set(searcher.docs_for_query(phrase)) == set(expected), phrase
            compared += 1
            nonempty += bool(expected)
    assert nonempty > 10, (compared, nonempty)


def answer(hits) -> tuple:
    return hits.total, [(pk, hits.scores[pk]) for pk in hits.ids], hits.facets


def every_answer(engine, searcher) -> list[tuple]:
    answers = []
    for text in QUERIES:
        parsed = parse_query(text)
        if parsed.is_empty:
            continue
        for filters, years in FILTERS:
            for sort in ("relevance", "newest"):
                for offset, limit in ((0, 10), (4, 20)):
                    args = (compile_query(parsed.query), filters, years, sort, offset, limit)
                    answers.append(answer(engine._search(searcher, *args)))
    return answers


def test_fast_query_classes_answer_like_whoosh(indexed_seeds, whoosh_originals):
    engine = backend()
    with engine._searcher() as searcher:
        fast = every_answer(engine, searcher)
        again = every_answer(engine, searcher)  # phrase spans now remembered
    whoosh_originals()
    with engine._searcher() as searcher:
        reference = every_answer(engine, searcher)
    assert len(fast) > 500
    assert sum(bool(a[1]) for a in reference) > 200
    assert fast == reference
    assert again == reference


def test_the_compiler_builds_no_plain_whoosh_or_or_phrase():
    """Normalization merges nested Ors of one class: every Or must be ours."""
    for text in QUERIES:
        query = compile_query(parse_query(text).query)
        for node in [query, *walk(query)]:
            if isinstance(node, wq.Or):
                assert type(node) is PreloadingOr, text
            if isinstance(node, wq.Phrase):
                assert type(node) is AdjacentPhrase, text


def walk(query: wq.Query):
    for child in query.children():
        yield child
        yield from walk(child)


def whoosh_more_like(report: Report) -> list[int]:
    engine = backend()
    with engine._searcher() as searcher:
        docnum = searcher.document_number(id=f"archive.report.{report.pk}")
        hits = searcher.more_like(
            docnum, engine.content_field_name, text=document_text(report), top=5
        )
        return [int(hit[DJANGO_ID]) for hit in hits]


def test_similar_equals_whoosh_more_like(indexed_seeds):
    reports = list(Report.objects.filter(needs_review=False))
    assert len(reports) >= 5
    expected = {r.pk: whoosh_more_like(r) for r in reports}
    assert any(expected.values())
    for _ in range(2):  # frequencies not yet remembered, then remembered
        for r in reports:
            got = backend().similar(doc_id=f"archive.report.{r.pk}", text=document_text(r), limit=5)
            assert got == expected[r.pk], r.pk


def test_text_weights_equal_whoosh_field_index(indexed_seeds):
    engine = backend()
    with engine._searcher() as searcher:
        field_type = searcher.schema[engine.content_field_name]
        for report in Report.objects.all():
            text = document_text(report)
            expected = [(field_type.from_bytes(b), w) for b, _, w, _ in field_type.index(text)]
            assert list(text_weights(field_type, text)) == expected, report.pk


def _reads_reports(sql: str) -> bool:
    """A query reading report rows; the index health check's COUNT reads none."""
    return 'FROM "archive_report"' in sql and not sql.startswith("SELECT COUNT(*)")


def test_result_pages_read_reports_once(indexed_seeds, client):
    """Deferred columns are never read back one hit at a time."""
    for url in ("/api/search?q=人才&page_size=50", "/search/?q=人才&page_size=50"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        report_reads = [q for q in queries if _reads_reports(q["sql"])]
        assert len(report_reads) == 1, [q["sql"][:120] for q in report_reads]
        assert '"decoded_text"' not in report_reads[0]["sql"]


def test_the_report_page_reads_similar_reports_once(indexed_seeds, client):
    report = Report.objects.filter(needs_review=False).first()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    report_reads = [q for q in queries if _reads_reports(q["sql"])]
    assert len(report_reads) <= 2, [q["sql"][:120] for q in report_reads]


def test_the_module_keeps_whoosh_semantics_flags():
    """The fast classes are drop-in subclasses (isinstance checks elsewhere hold)."""
    assert issubclass(whoosh_query.AdjacentPhrase, wq.Phrase)
    assert issubclass(whoosh_query.PreloadingOr, wq.Or)
