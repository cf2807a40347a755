"""The search caches (issue 7) change speed, never answers: on the seed reports,
every query of the benchmark mix gives the same hits, totals, facets, scores and
highlights with the searcher, result and highlight caches on, warm, and off."""

import io

import pytest
from django.core.management import call_command

from archive.models import Report
from bench.queries import QUERY_MIX
from search import backend as search_backend
from search import highlight, whoosh_order
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR
from .test_faults_index import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "off"}  # one client, many queries
    rebuild()
    call_command("import_reports", str(SEEDS_DIR), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    yield
    rebuild()


def forget_everything() -> None:
    search_backend._pool.forget()
    search_backend._results.forget()
    highlight._normalized.cache_clear()
    highlight._snippets.forget()
    whoosh_order._SEGMENT_VALUES.clear()


def answers(client) -> list[dict]:
    out = []
    for _, params in QUERY_MIX:
        response = client.get("/api/search", params)
        # 404: a page of the mix past the last page of five seeds' results
        assert response.status_code in (200, 404), params
        body = {k: v for k, v in response.json().items() if k != "took_ms"}
        out.append({"status": response.status_code, **body})
    return out


def test_cached_answers_equal_uncached_ones(client, seeded, settings):
    settings.SEARCH_RESULT_CACHE = 0
    forget_everything()
    plain = answers(client)
    settings.SEARCH_RESULT_CACHE = 256
    forget_everything()
    cold, warm = answers(client), answers(client)
    assert sum(page.get("count", 0) for page in plain) > 50
    assert cold == plain
    assert warm == plain


def test_an_index_write_is_seen_by_the_next_search(client, seeded):
    before = client.get("/api/search", {"q": "人才"}).json()["count"]
    client.get("/api/search", {"q": "人才"})  # remembered now
    Report.objects.order_by("pk").first().delete()
    drain_queue()
    assert client.get("/api/search", {"q": "人才"}).json()["count"] == before - 1


def test_a_search_sees_an_index_rebuilt_behind_its_back(client, seeded):
    assert client.get("/api/search", {"q": "泸州"}).json()["count"] > 0
    engine = backend()
    engine.clear()
    # Not the remembered answer: the emptied index is seen, and not served as if
    # complete (search/health.py: "being rebuilt").
    assert client.get("/api/search", {"q": "泸州"}).status_code == 503


def test_threads_share_the_process_searchers_and_get_the_same_answers(seeded, monkeypatch):
    """runserver starts a thread per request: a new thread must not reopen the index
    (STYLE.md), and threads searching at once must not disturb each other."""
    from concurrent.futures import ThreadPoolExecutor

    from search.engine import current
    from search.query import parse_query, query_to_run

    engine = current()
    queries = [query_to_run(parse_query(params["q"])) for _, params in QUERY_MIX[:12]]
    forget_everything()
    alone = [engine.analyst_search(q, limit=10) for q in queries]
    opened = []
    real_searcher = type(engine.index).searcher
    monkeypatch.setattr(
        type(engine.index), "searcher", lambda ix, **kw: opened.append(1) or real_searcher(ix, **kw)
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: engine.analyst_search(q, limit=10), queries * 3))
    assert together == alone * 3
    assert len(opened) <= 4  # at most one more per concurrent thread, not one per thread
    with ThreadPoolExecutor(max_workers=1) as pool:  # a fresh thread, as runserver's
        pool.submit(lambda: engine.analyst_search(queries[0], limit=5)).result()
    assert len(opened) <= 4


def test_a_reopened_searcher_reads_only_the_new_segments_columns(
    client, seeded, tmp_path, monkeypatch
):
    """Order and facet values are kept per segment (search/whoosh_order.py): after an
    upload only the new segment is read, and the answers are those of a cold start."""
    client.get("/api/search", {"q": "人才"})
    read: list[str] = []
    computing = whoosh_order._segment_order
    monkeypatch.setattr(
        whoosh_order,
        "_segment_order",
        lambda r: read.append(r.segment().segment_id()) or computing(r),
    )
    report = tmp_path / "德州.txt"
    report.write_text(
        "德州市人才公寓申请须知\n新引进的博士可申请人才公寓，租金减半。\n", encoding="utf-8"
    )
    call_command("import_reports", str(report), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    warm = answers(client)
    assert len(read) == 1  # the new segment; the seeds' segments were remembered
    forget_everything()
    assert answers(client) == warm
    assert len(read) > 1  # forgotten: every segment read again


def test_snippets_are_shared_and_follow_the_text(client, seeded, monkeypatch):
    """A hit's snippets are kept in the shared cache (any worker finds them); a new
    text is highlighted anew, and its snippets show it."""
    from search import selectors

    made = []
    monkeypatch.setattr(
        selectors,
        "highlight_segments",
        lambda text, *a, **k: made.append(text) or highlight.highlight_segments(text, *a, **k),
    )
    first = client.get("/api/search", {"q": "人才", "page_size": 10}).json()
    assert len(first["results"]) == 5 and made
    made.clear()
    forget_everything()  # this worker's own memos: only the shared cache is left
    again = client.get("/api/search", {"q": "人才", "page_size": 4}).json()
    assert made == []
    shown = [r["highlights"] for r in first["results"][:4]]
    assert [r["highlights"] for r in again["results"]] == shown
    top = again["results"][0]["id"]
    Report.objects.filter(pk=top).update(clean_text="新的人才公寓政策全文。")
    edited = client.get("/api/search", {"q": "人才", "page_size": 3}).json()
    assert made == ["新的人才公寓政策全文。"]
    assert "人才" in "".join(edited["results"][0]["highlights"])
    assert "新的" in "".join(edited["results"][0]["highlights"])
