"""Issue 15's shortcuts on the search pages change speed, never answers.

On the seeds and the labelled dev reports (several per city, with their
duplicates and held reports as imported):

- snippets remembered by a digest of the text (search/highlight.py) and queries
  parsed once per text and synonym groups (search/selectors.py) equal those
  computed afresh, through /api/search and /search/, and a report whose text
  changed gets snippets of its new text (synonym edits: tests/test_search_recall.py);
- the search form rendered once per params and language (search/page_context.py)
  is the form the template renders for that request, with that request's values
  and in the reader's language;
- a page and its partial matches (search/partial_matches.py) check the index once.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.template import engines

from archive.models import Report
from bench.queries import QUERY_MIX
from search import health, highlight, selectors
from search.indexing import drain_queue

from .conftest import SEEDS_DIR
from .test_faults_index import rebuild
from .test_search_form_parts import WHOLE_FORM

pytestmark = pytest.mark.django_db

DEV_RAW = SEEDS_DIR.parent / "labelled" / "dev" / "raw"
#: beyond the benchmark mix: partial matches, a second page, filters, title only.
MORE = [
    {"q": "人才 公寓 补贴"},
    {"q": "购房 补贴", "page_size": "5", "page": "2"},
    {"q": "人才", "doc_type": "policy_document"},
    {"q": "人才", "in": "title"},
    {"q": "人才 -补贴", "exact": "1"},
]
PARAMS = [params for _, params in QUERY_MIX] + MORE
#: what differs between two renderings of one page: the time taken, the CSRF token
UNSTABLE = re.compile(r'（\d+ 毫秒）|\(\d+ ms\)|name="csrfmiddlewaretoken" value="\w+"')


@pytest.fixture
def archive(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}  # one client, many queries
    # The memos below whole answers are what these tests look at: every request here
    # renders (whole answers: test_whole_answers_remembered_equal_computed_ones).
    settings.PAGE_CACHE = False
    rebuild()
    paths = [*sorted(SEEDS_DIR.glob("*.txt")), *sorted(DEV_RAW.iterdir())]
    call_command("import_reports", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    yield
    rebuild()


def api_answers(client) -> list[dict]:
    out = []
    for params in PARAMS:
        response = client.get("/api/search", params)
        assert response.status_code in (200, 404), params  # 404: past the last page
        out.append({k: v for k, v in response.json().items() if k != "took_ms"})
    return out


def pages(client) -> list[str]:
    return [UNSTABLE.sub("", client.get("/search/", p).content.decode()) for p in PARAMS[::4]]


def computed_only(reports, parsed, max_snippets: int) -> dict:
    return {r.pk: selectors.computed_snippets(r, parsed, max_snippets) for r in reports}


def test_remembered_snippets_and_parses_equal_computed_ones(client, archive, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(highlight._snippets, "size", 0)  # nothing kept: every snippet computed
        patch.setattr(selectors, "_snippets", computed_only)  # none shared either
        patch.setattr(selectors, "_parsed", selectors._parsed.__wrapped__)  # every parse too
        plain, plain_pages = api_answers(client), pages(client)
    highlight._snippets.forget()
    selectors._parsed.cache_clear()
    cold, warm = api_answers(client), api_answers(client)
    assert sum(len(page.get("results", [])) for page in plain) > 200
    assert sum(bool(hit["highlights"]) for page in plain for hit in page.get("results", [])) > 200
    assert any(page.get("all_words_count") is not None for page in plain)
    assert len(highlight._snippets) > 100
    assert cold == plain
    assert warm == plain
    assert pages(client) == plain_pages


def test_whole_answers_remembered_equal_computed_ones(client, archive, settings):
    """/api/search and /search/ answers served from the shared cache (archive/
    page_cache.py) are the ones computed, for every query of the mix and beyond; a
    report saved in between is in the next answer."""
    plain, plain_pages = api_answers(client), pages(client)
    settings.PAGE_CACHE = True
    cold, cold_pages = api_answers(client), pages(client)
    hits = client.get("/api/search", PARAMS[0])
    assert hits["X-Page-Cache"] == "hit"
    assert (api_answers(client), pages(client)) == (plain, plain_pages)
    assert (cold, cold_pages) == (plain, plain_pages)
    report = Report.objects.get(pk=hits.json()["results"][0]["id"])
    report.title = "人才公寓落户通知（改）"
    report.save()
    drain_queue()
    again = client.get("/api/search", PARAMS[0])
    assert again["X-Page-Cache"] == "miss"
    titles = {hit["id"]: hit["title"] for hit in again.json()["results"]}
    assert titles[report.pk] == "人才公寓落户通知（改）"


def test_a_report_whose_text_changed_gets_snippets_of_its_new_text(client, archive):
    first = client.get("/api/search", {"q": "人才"}).json()["results"][0]
    assert first["highlights"]
    Report.objects.filter(pk=first["id"]).update(clean_text="引进人才三百名。其余不变。")
    again = client.get("/api/search", {"q": "人才"}).json()["results"][0]
    assert again["id"] == first["id"]
    assert again["highlights"] == ["引进<mark>人才</mark>三百名。"]


def _form_of(page) -> str:
    """The form as one template draws it from this page's own form and inputs (the
    slow path: search/page_context.py draws it from two kept parts)."""
    context = {k: page.context[k] for k in ("form", "carried", "advanced_open")}
    return engines["django"].from_string(WHOLE_FORM).render(context)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_form_is_the_one_rendered_for_each_request(client, archive, language):
    headers = {"accept-language": language}
    wanted = [
        {"q": "人才"},
        {"q": "人才", "in": "title", "doc_type": "news", "year_from": "2019", "page_size": "50"},
        {"q": "补贴", "province": "四川省", "sort": "newest", "issuer": "甲"},
        {"q": "人才"},
    ]
    for params in wanted * 2:  # the second time, from the remembered forms
        page = client.get("/search/", params, headers=headers)
        body = page.content.decode()
        assert _form_of(page) in body
        assert f'value="{params["q"]}"' in body
    english = client.get("/search/", {"q": "人才"}, headers={"accept-language": "en"})
    chinese = client.get("/search/", {"q": "人才"}, headers={"accept-language": "zh-hans"})
    assert "高级检索" in chinese.content.decode()
    assert "高级检索" not in english.content.decode()


def test_each_hit_shows_the_doc_type_label_the_api_gives(client, archive):
    for language in ("zh-hans", "en"):
        headers = {"accept-language": language}
        hits = client.get("/api/search", {"q": "人才"}, headers=headers).json()["results"]
        html = client.get("/search/", {"q": "人才"}, headers=headers).content.decode()
        metas = re.findall(r'<div class="report-meta">(.*?)</div>', html, re.S)
        assert len(metas) == len(hits) > 5
        for hit, meta in zip(hits, metas, strict=True):
            assert f"<span>{hit['doc_type_label']}</span>" in meta


def test_a_page_and_its_partial_matches_check_the_index_once(client, archive, monkeypatch):
    checks = []
    real = health.index_drift
    monkeypatch.setattr(health, "index_drift", lambda status: checks.append(1) or real(status))
    answer = client.get("/api/search", {"q": "人才 公寓 补贴", "page_size": "5", "page": "2"})
    assert answer.json()["all_words_count"] is not None
    assert len(checks) == 1
