"""A remembered ranking (search/whoosh_ranking.py) answers exactly as one computed for
the request: the same hits in the same order with the same scores, totals and facet
counts, on the seed reports and on the labelled captures, for every query of the
benchmark mix, with filters, sorts and pages asked in an order where each query's
ranking was computed under another filter and page first. And the top-N searches
Whoosh still runs (similar reports) keep every document a full ranking puts first
(whoosh-community/whoosh#413: its pruning lost the best ones)."""

import pytest
from whoosh import collectors

from bench.queries import QUERY_MIX
from search import backend as search_backend
from search.indexing import backend
from search.query import parse_query
from search.whoosh_query import compile_query

pytestmark = pytest.mark.django_db

FILTERS = [
    ({}, (None, None)),
    ({"province": ["四川省", "山东省"]}, (None, None)),
    ({"doc_type": ["news"]}, ("2023", None)),
]
PAGES = ((0, 10), (1, 2), (4, 20))


def answer(hits) -> tuple:
    return hits.total, [(pk, round(hits.scores[pk], 9)) for pk in hits.ids], hits.facets


def compiled_mix() -> list:
    parsed = [parse_query(params["q"]) for _, params in QUERY_MIX]
    return [compile_query(p.query) for p in parsed if not p.is_empty]


def every_answer(engine, sort: str) -> dict[tuple, tuple]:
    answers = {}
    with engine._searcher() as searcher:
        for query in compiled_mix():
            for filters, years in FILTERS:
                for offset, limit in PAGES:
                    args = (query, filters, years, sort, offset, limit)
                    answers[repr(args)] = answer(engine._search(searcher, *args))
    return answers


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_remembered_rankings_answer_as_computed_ones(indexed_seeds, settings, sort):
    engine = backend()
    settings.SEARCH_RESULT_CACHE = 0
    computed = every_answer(engine, sort)
    settings.SEARCH_RESULT_CACHE = 1
    search_backend._results.forget()
    remembered = every_answer(engine, sort)  # each query ranked once, at its first case
    assert remembered == computed
    assert len(computed) > 300
    assert sum(bool(a[1]) for a in computed.values()) > 100


def test_a_top_n_search_keeps_the_best_documents(labelled_archive):
    """On the seeds and the 16 captures, the first k of every mix query's top-k
    search are the first k of its full ranking, for k = 1 to 5."""
    engine = backend()
    compared = 0
    with engine._searcher() as searcher:
        for query in compiled_mix():
            full = [d for _, d in sorted(searcher.search(query, limit=None).top_n, reverse=True)]
            for k in range(1, 6):
                top = collectors.TopCollector(k)
                searcher.search_with_collector(query, top)
                got = [d for _, d in sorted(top.results().top_n, reverse=True)]
                scores = dict((d, s) for s, d in searcher.search(query, limit=None).top_n)
                # the same scores at each place (ties may trade places)
                assert [scores[d] for d in got] == [scores[d] for d in full[:k]], (query, k)
                compared += len(full) > k
    assert compared > 100


@pytest.mark.parametrize("one_by_one", [0, 10**9])
def test_every_way_to_a_page_answers_as_whoosh(indexed_seeds, monkeypatch, one_by_one):
    """Each query's first ask (top-N), its later asks (the whole ranking, kept) and
    filtered asks scored one by one: the same answers as Whoosh's own search."""
    from .test_search_speed_facets import _compare

    monkeypatch.setattr(search_backend, "SCORED_ONE_BY_ONE", one_by_one)
    search_backend._results.forget()
    compared, faceted = _compare("relevance")
    assert compared > 500
    assert faceted > 200
